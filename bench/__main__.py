"""Runs the benchmarks: `python -m bench` runs every bench/*.py's main(); `python -m bench NAME
[options]` runs one with its options (e.g. `python -m bench ageing --invoices 100000`)."""

from __future__ import annotations

import importlib
import os
import signal
import sys
from pathlib import Path

from models.security.field_cipher import parse_keyring, use_keyring
from o2c.heap import settle_heap
from o2c.keys import fresh_keyring_text


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
    # Customer data is encrypted at rest: each run under a throwaway keyring of its own, handed
    # to the processes a bench starts through the environment.
    os.environ.setdefault("O2C_DATA_KEYS", ",".join(fresh_keyring_text().splitlines()[1:]))
    use_keyring(parse_keyring(os.environ["O2C_DATA_KEYS"]))
    names, options = (sys.argv[1:2], sys.argv[2:]) if len(sys.argv) > 1 else (benches(), [])
    for name in names:
        if name not in benches():
            sys.exit(f"no benchmark {name!r}; there are: {', '.join(benches())}")
        bench = importlib.import_module(f"bench.{name}")
        settle_heap()  # as o2c's worker and API settle theirs once started (o2c/heap.py)
        bench.main(options)


if __name__ == "__main__":
    main()
