"""The worker's audit context: an activity acting on a person's message (an approval, a decision,
an outcome: its input names the `user`) is recorded as that person, anything else as "system"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

from activities.security.audit_context import SYSTEM, AuditContext, audit_context


def actor_of(args: Sequence[Any]) -> str:
    for arg in args:
        user = getattr(arg, "user", None)
        if isinstance(user, str) and user:
            return user
    return SYSTEM


class _ActingForTheMessage(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        token = audit_context.set(AuditContext(actor=actor_of(input.args)))
        try:
            return await self.next.execute_activity(input)
        finally:
            audit_context.reset(token)


class AuditActorInterceptor(Interceptor):
    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _ActingForTheMessage(next)
