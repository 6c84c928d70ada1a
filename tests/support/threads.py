"""Racing commands: each in a thread of its own, with its own session, all released at once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def _released_together(jobs: Sequence[Callable[[], T]], timeout: float) -> list[T | BaseException]:
    barrier = threading.Barrier(len(jobs))
    outcomes: list[T | BaseException] = [None] * len(jobs)  # type: ignore[list-item]

    def run(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = jobs[index]()
        except BaseException as exc:  # handed back to the test's thread
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes


def at_once(jobs: Sequence[Callable[[], T]], timeout: float = 120) -> list[T]:
    """The jobs' results in job order; a job's error is raised once all have ended."""
    outcomes = _released_together(jobs, timeout)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes  # type: ignore[return-value]


def errors_at_once(
    jobs: Sequence[Callable[[], object]], timeout: float = 120
) -> list[BaseException]:
    """What the jobs raised, all of it (for a test that asserts there is nothing)."""
    return [o for o in _released_together(jobs, timeout) if isinstance(o, BaseException)]
