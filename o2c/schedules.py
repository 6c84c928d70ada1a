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
from workflows.credit.credit_reviews_monthly import MonthlyCreditReviewWorkflow

log = logging.getLogger(__name__)
DUNNING_DIGEST_ID = "schedule-dunning-digest"
DIGEST_HOUR_UTC = 7  # after the dunning steps of the day (06:00 UTC by default)
CREDIT_REVIEW_ID = "schedule-credit-review"
CREDIT_REVIEW_HOUR_UTC = 5  # before the day's orders, after the night's payments


def dunning_digest_schedule(task_queue: str, hour: int = DIGEST_HOUR_UTC) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            DunningDigestWorkflow.run, id=DUNNING_DIGEST_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(
            calendars=[ScheduleCalendarSpec(hour=[ScheduleRange(hour)], minute=[ScheduleRange(0)])]
        ),
    )


def credit_review_schedule(task_queue: str, day: int = 1) -> Schedule:
    """Every customer scored and reviewed on `day` of each month."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            MonthlyCreditReviewWorkflow.run, id=CREDIT_REVIEW_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(
            calendars=[
                ScheduleCalendarSpec(
                    day_of_month=[ScheduleRange(day)],
                    hour=[ScheduleRange(CREDIT_REVIEW_HOUR_UTC)],
                    minute=[ScheduleRange(0)],
                )
            ]
        ),
    )


async def ensure_schedules(client: Client, task_queue: str, credit_review_day: int = 1) -> None:
    """Create the daily dunning digest and the monthly credit review schedules, or update them
    to this code's definition."""
    for schedule_id, schedule in (
        (DUNNING_DIGEST_ID, dunning_digest_schedule(task_queue)),
        (CREDIT_REVIEW_ID, credit_review_schedule(task_queue, credit_review_day)),
    ):
        await _ensure(client, schedule_id, schedule)


async def _ensure(client: Client, schedule_id: str, schedule: Schedule) -> None:
    try:
        await client.create_schedule(schedule_id, schedule)
        log.info("created schedule %s", schedule_id)
    except ScheduleAlreadyRunningError:

        def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(schedule_id).update(replace)
        log.info("updated schedule %s", schedule_id)
