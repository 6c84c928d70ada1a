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

from models.credit.alerts import ALERT_DIGEST_ABOVE
from workflows.collection.dunning_digest import DunningDigestWorkflow
from workflows.credit.credit_alerts import CreditAlertsWorkflow
from workflows.credit.credit_reviews_monthly import MonthlyCreditReviewWorkflow

log = logging.getLogger(__name__)
DUNNING_DIGEST_ID = "schedule-dunning-digest"
DIGEST_HOUR_UTC = 7  # after the dunning steps of the day (06:00 UTC by default)
CREDIT_REVIEW_ID = "schedule-credit-review"
CREDIT_REVIEW_HOUR_UTC = 5  # before the day's orders, after the night's payments
CREDIT_ALERTS_ID = "schedule-credit-alerts"
CREDIT_ALERTS_HOUR_UTC = 6  # after the monthly review's grades, before the working day


def dunning_digest_schedule(task_queue: str, hour: int = DIGEST_HOUR_UTC) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            DunningDigestWorkflow.run, id=DUNNING_DIGEST_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(
            calendars=[ScheduleCalendarSpec(hour=[ScheduleRange(hour)], minute=[ScheduleRange(0)])]
        ),
    )


def credit_alerts_schedule(task_queue: str, digest_above: int) -> Schedule:
    """Every day: the customers that crossed 80 % or 100 % utilisation or dropped a grade."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            CreditAlertsWorkflow.run, digest_above, id=CREDIT_ALERTS_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(
            calendars=[
                ScheduleCalendarSpec(
                    hour=[ScheduleRange(CREDIT_ALERTS_HOUR_UTC)], minute=[ScheduleRange(0)]
                )
            ]
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


async def ensure_schedules(
    client: Client,
    task_queue: str,
    credit_review_day: int = 1,
    credit_alert_digest_above: int = ALERT_DIGEST_ABOVE,
) -> None:
    """Create the daily dunning digest, the daily credit alerts and the monthly credit review
    schedules, or update them to this code's definition."""
    for schedule_id, schedule in (
        (DUNNING_DIGEST_ID, dunning_digest_schedule(task_queue)),
        (CREDIT_REVIEW_ID, credit_review_schedule(task_queue, credit_review_day)),
        (CREDIT_ALERTS_ID, credit_alerts_schedule(task_queue, credit_alert_digest_above)),
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
