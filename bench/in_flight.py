"""Runs many async jobs with at most a given number in flight, and says how long they took."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence


async def run_in_flight(jobs: Sequence[Callable[[], Awaitable[object]]], limit: int) -> float:
    """Seconds from the first job's start until every job has finished."""
    gate = asyncio.Semaphore(limit)

    async def one(job: Callable[[], Awaitable[object]]) -> None:
        async with gate:
            await job()

    started = time.perf_counter()
    await asyncio.gather(*(one(job) for job in jobs))
    return time.perf_counter() - started
