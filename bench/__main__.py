"""`make bench`: run every benchmark, or one by name: `python -m bench lifecycle --orders 50`."""

from __future__ import annotations

import importlib
import sys

BENCHES = ["lifecycle"]


def main() -> None:
    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        name, rest = args[0], args[1:]
        importlib.import_module(f"bench.{name}").main(rest)
        return
    for name in BENCHES:
        importlib.import_module(f"bench.{name}").main([])


if __name__ == "__main__":
    main()
