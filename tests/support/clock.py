"""The time-skipping server's clock: moments of the dunning ladder, and skipping to them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from temporalio.testing import WorkflowEnvironment

from tests.factories.policies import RUN_AT


def moment(due: date, days: int, hours: int = 1) -> datetime:
    """An hour (or `hours`) after the ladder's step `days` from the due date is taken."""
    return datetime.combine(due + timedelta(days=days), RUN_AT, tzinfo=UTC) + timedelta(hours=hours)


async def sleep_until(env: WorkflowEnvironment, at: datetime) -> None:
    now = await env.get_current_time()
    assert at > now, f"{at} is already past ({now})"
    await env.sleep(at - now)


async def skip_to_next(env: WorkflowEnvironment, at: time) -> datetime:
    """Skips to the next `at` o'clock UTC: a scenario started there runs the same whatever the
    time of day the test is run (the server's clock starts at the real time)."""
    now = await env.get_current_time()
    target = datetime.combine(now.date(), at, tzinfo=UTC)
    if target <= now:
        target += timedelta(days=1)
    await sleep_until(env, target)
    return target
