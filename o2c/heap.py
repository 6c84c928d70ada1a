"""The interpreter's memory collector in a long-running o2c process."""

from __future__ import annotations

import gc

# New objects the collector lets pile up before it looks for cycles among them (Python's default,
# 700, had it look some 330 times in a monthly credit review of 20,000 customers).
YOUNG_OBJECTS = 50_000


def settle_heap() -> None:
    """Everything the process holds once it has started (its modules, models, mappings, compiled
    templates: objects that live as long as it does) kept out of the collector's full passes
    (`gc.freeze`), and the collector run less often on new objects (`YOUNG_OBJECTS`). The full
    passes walk every object the process tracks, again each time bulk work has made enough new
    ones: the monthly credit review of 20,000 customers ran 3-4 of them, some 0.5 s of its
    1.0 s of CPU, and 330 young ones, 0.1 s more (docs/credit.md, Speed). What is made later is
    still collected; called again, it settles what was made since."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, old)
