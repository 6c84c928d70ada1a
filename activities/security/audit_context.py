"""Who is acting, from where, in which request: what every audit row says of its cause. The API
sets it per request (address and request id in the middleware, the user once the token is read);
elsewhere (the worker, the CLI) the actor is "system"."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

SYSTEM = "system"


@dataclass
class AuditContext:
    actor: str = SYSTEM
    address: str | None = None
    request_id: str | None = None


audit_context: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current_audit_context() -> AuditContext:
    return audit_context.get() or AuditContext()


def act_as(actor: str) -> None:
    """The request's user, once known (a login names the user it tried)."""
    context = audit_context.get()
    if context is not None:
        context.actor = actor
