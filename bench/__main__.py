"""Runs the benchmarks: `python -m bench` runs every bench/*.py's main(); `python -m bench NAME
[options]` runs one with its options (e.g. `python -m bench ageing --invoices 100000`)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from models.security.field_cipher import parse_keyring, use_keyring
from o2c.keys import fresh_keyring_text


def benches() -> list[str]:
    here = Path(__file__).parent
    return sorted(p.stem for p in here.glob("*.py") if not p.stem.startswith("_"))


def main() -> None:
    # Customer data is encrypted at rest: each run under a throwaway keyring of its own.
    use_keyring(parse_keyring(fresh_keyring_text()))
    names, options = (sys.argv[1:2], sys.argv[2:]) if len(sys.argv) > 1 else (benches(), [])
    for name in names:
        if name not in benches():
            sys.exit(f"no benchmark {name!r}; there are: {', '.join(benches())}")
        importlib.import_module(f"bench.{name}").main(options)


if __name__ == "__main__":
    main()
