"""How workflows call activities: by method of an area's registry (so names, arguments and
results are type-checked), each kind of step with its timeout and retry policy in one place.
Short database steps are local activities (cheap); steps with side effects outside the database
(mail) or long work are regular activities."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.documents.registry import MailActivities
    from models.errors import ERROR_KINDS
    from models.sales.messages import DeliverEmailInput

Arg = TypeVar("Arg")
Result = TypeVar("Result")
# An activity as its registry declares it, e.g. SalesActivities.change_status.
Activity = Callable[[Any, Arg], Result]

DB_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    # A refusal by the domain (activities raise models.errors kinds) is final: retrying
    # cannot turn it into a success.
    non_retryable_error_types=[kind.__name__ for kind in ERROR_KINDS],
)
MAIL_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=5),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=10),
)


async def db_step(activity: Activity[Arg, Result], arg: Arg) -> Result:
    """A short transaction in the database, run as a local activity."""
    return await workflow.execute_local_activity_method(
        activity,
        arg,
        start_to_close_timeout=timedelta(seconds=30),
        retry_policy=DB_RETRY,
    )


async def document_step(activity: Activity[Arg, Result], arg: Arg) -> Result:
    """Creates a document (invoice): a regular activity, so it shows in the history on its own."""
    return await workflow.execute_activity_method(
        activity,
        arg,
        start_to_close_timeout=timedelta(minutes=2),
        retry_policy=DB_RETRY,
    )


async def batch_step(activity: Activity[Arg, Result], arg: Arg) -> Result:
    """Work over many records at once (the daily digests): a regular activity with time to
    finish."""
    return await workflow.execute_activity_method(
        activity,
        arg,
        start_to_close_timeout=timedelta(minutes=5),
        retry_policy=DB_RETRY,
    )


async def send_mails(outbox_ids: Iterable[int]) -> None:
    """Deliver the mails a step queued, one activity each, in the order they were queued."""
    for outbox_id in outbox_ids:
        await send_mail(outbox_id)


async def send_mail(
    outbox_id: int, *, task_queue: str | None = None, timeout: timedelta = timedelta(minutes=1)
) -> None:
    """`task_queue`: the documents worker's, for a mail whose PDF may queue behind others (with
    a `timeout` to match); by default the workflow's own queue."""
    await workflow.execute_activity_method(
        MailActivities.deliver_email,
        DeliverEmailInput(outbox_id=outbox_id),
        task_queue=task_queue,
        start_to_close_timeout=timeout,
        retry_policy=MAIL_RETRY,
    )
