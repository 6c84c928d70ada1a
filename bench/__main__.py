"""Runs the benchmarks: `python -m bench` runs every bench/*.py's main(); `python -m bench NAME
[options]` runs one with its options (e.g. `python -m bench ageing --invoices 100000`)."""

from __future__ import annotations

import importlib
import signal
import sys
from pathlib import Path


def benches() -> list[str]:
    """The modules of bench/ with a main(); the others are their helpers."""
    here = Path(__file__).parent
    return sorted(
        p.stem
        for p in here.glob("*.py")
        if not p.stem.startswith("_") and "\ndef main(" in p.read_text()
    )


def main() -> None:
    # A bench killed with SIGTERM still stops the servers and processes it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    names, options = (sys.argv[1:2], sys.argv[2:]) if len(sys.argv) > 1 else (benches(), [])
    for name in names:
        if name not in benches():
            sys.exit(f"no benchmark {name!r}; there are: {', '.join(benches())}")
        importlib.import_module(f"bench.{name}").main(options)


if __name__ == "__main__":
    main()
