"""Refusals by a separated-duty rule (403 from a use case or a workflow's validator) go into the
audit trail as `duty_refused`, like refusals by role do as `role_denied`: who, the route, the
rule, and the address and request id of the request. The API's error handlers and the pages'
actions both record them here."""

from __future__ import annotations

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from activities.security.audit_context import SYSTEM, current_audit_context
from activities.security.audit_trail import record_duty_refusal
from activities.transaction import run_command
from models.errors import Forbidden


def refused_rule(error: BaseException) -> str | None:
    """The separated-duty rule `error` refuses by (a use case's Forbidden, or a workflow
    refusing an Update with one); None for any other error."""
    if isinstance(error, Forbidden):
        return error.message
    if isinstance(error, WorkflowUpdateFailedError):
        cause = error.cause
        if isinstance(cause, ApplicationError) and cause.type == Forbidden.__name__:
            return cause.message
    return None


async def record_refusal(request: Request, error: BaseException) -> None:
    """In a transaction of its own, after the refused command's rolled back; never as the
    answer an Idempotency-Key keeps (that stays the refused request's). Nothing for an error
    that is no duty refusal."""
    rule = refused_rule(error)
    actor = current_audit_context().actor
    if rule is None or actor == SYSTEM:  # no user was read: nothing to say who was refused
        return
    engine: Engine = request.app.state.database.engine
    await run_in_threadpool(
        run_command, engine, record_duty_refusal, actor, request.method, request.url.path, rule
    )
