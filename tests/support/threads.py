"""Racing commands: each in a thread of its own, with its own session, all released at once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def at_once(jobs: Sequence[Callable[[], T]], timeout: float = 120) -> list[T]:
    """Runs the jobs released together; their results in job order. A job's error is raised
    once all have ended."""
    barrier = threading.Barrier(len(jobs))
    results: list[T | BaseException] = [None] * len(jobs)  # type: ignore[list-item]

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = jobs[index]()
        except BaseException as exc:  # raised below, in the test's thread
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]
