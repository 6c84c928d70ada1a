"""The Temporal Schedules o2c keeps: created, or brought up to date, when a worker starts."""

from __future__ import annotations

import logging

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleRange,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from workflows.collection.dunning_digest import DunningDigestWorkflow

log = logging.getLogger(__name__)
DUNNING_DIGEST_ID = "schedule-dunning-digest"
DIGEST_HOUR_UTC = 7  # after the dunning steps of the day (06:00 UTC by default)


def dunning_digest_schedule(task_queue: str, hour: int = DIGEST_HOUR_UTC) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            DunningDigestWorkflow.run, id=DUNNING_DIGEST_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(
            calendars=[ScheduleCalendarSpec(hour=[ScheduleRange(hour)], minute=[ScheduleRange(0)])]
        ),
    )


async def ensure_schedules(client: Client, task_queue: str) -> None:
    """Create the daily dunning digest schedule, or update it to this code's definition."""
    schedule = dunning_digest_schedule(task_queue)
    try:
        await client.create_schedule(DUNNING_DIGEST_ID, schedule)
        log.info("created schedule %s", DUNNING_DIGEST_ID)
    except ScheduleAlreadyRunningError:

        def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(DUNNING_DIGEST_ID).update(replace)
        log.info("updated schedule %s", DUNNING_DIGEST_ID)
