"""A long-running process settles its heap once started: what it holds then is kept out of the
collector's full passes, and new objects are looked at in larger batches; what is made later
is still collected."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from o2c.heap import YOUNG_OBJECTS, settle_heap


@pytest.fixture
def restored_collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored_collector")
def test_what_the_process_holds_is_kept_out_of_full_passes_and_cycles_made_later_still_go() -> None:
    held = [object() for _ in range(1_000)]
    gc.unfreeze()
    before = gc.get_freeze_count()

    settle_heap()

    assert gc.get_freeze_count() >= before + len(held)
    assert gc.get_threshold()[0] == YOUNG_OBJECTS

    class Node:
        partner: object = None

    first, second = Node(), Node()
    first.partner, second.partner = second, first  # a cycle only the collector frees
    del first, second
    assert gc.collect() >= 2  # both found unreachable
