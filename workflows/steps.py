"""How workflows call activities: by name, each with its timeout and retry policy in one place.
Short database steps are local activities (cheap); steps with side effects outside the database
(mail) or long work are regular activities."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from models.errors import ERROR_KINDS

T = TypeVar("T")

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


async def db_step(name: str, arg: Any, result_type: type[T] | None = None) -> T:
    """A short transaction in the database, run as a local activity."""
    return await workflow.execute_local_activity(
        name,
        arg,
        result_type=result_type,
        start_to_close_timeout=timedelta(seconds=30),
        retry_policy=DB_RETRY,
    )


async def document_step(name: str, arg: Any, result_type: type[T] | None = None) -> T:
    """Creates a document (invoice): a regular activity, so it shows in the history on its own."""
    return await workflow.execute_activity(
        name,
        arg,
        result_type=result_type,
        start_to_close_timeout=timedelta(minutes=2),
        retry_policy=DB_RETRY,
    )


async def mail_step(name: str, arg: Any) -> None:
    await workflow.execute_activity(
        name,
        arg,
        start_to_close_timeout=timedelta(minutes=1),
        retry_policy=MAIL_RETRY,
    )
