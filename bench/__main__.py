"""`python -m bench [name] [args]`: runs every benchmark module's main() (or the one named)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    wanted = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else None
    args = sys.argv[2:] if wanted else sys.argv[1:]
    for module_info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module_info.name.startswith("_") or (wanted and module_info.name != wanted):
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        if hasattr(module, "main"):
            print(f"== bench.{module_info.name}", flush=True)
            module.main(args)


if __name__ == "__main__":
    main()
