"""Moments of the dunning ladder on the server's clock; keeping a real-clock test on one day."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

from tests.factories.policies import RUN_AT


def moment(due: date, days: int, hours: int = 1) -> datetime:
    """An hour (or `hours`) after the ladder's step `days` from the due date is taken."""
    return datetime.combine(due + timedelta(days=days), RUN_AT, tzinfo=UTC) + timedelta(hours=hours)


async def clear_of_midnight(margin: timedelta = timedelta(minutes=1)) -> None:
    """Waits for the next day when the real clock is within `margin` of midnight UTC, so that
    what a test does on "today" and what a workflow then reads as today fall on one day."""
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=UTC)
    if midnight - now < margin:
        await asyncio.sleep((midnight - now).total_seconds() + 1)
