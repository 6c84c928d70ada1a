"""Gives every request its audit context: the caller's address and a request id (the client's
X-Request-ID when it is sensible, else a new one, echoed in the answer), the user added once the
token is read (api/deps.py)."""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from activities.security.audit_context import AuditContext, audit_context

REQUEST_ID_HEADER = "x-request-id"
SENSIBLE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def request_id_of(scope: Scope) -> str:
    given = dict(scope.get("headers", [])).get(REQUEST_ID_HEADER.encode(), b"")
    text = given.decode("latin-1")
    return text if SENSIBLE_REQUEST_ID.match(text) else uuid.uuid4().hex


class AuditContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        context = AuditContext(
            address=client[0][:64] if client else None, request_id=request_id_of(scope)
        )
        token = audit_context.set(context)

        async def send_with_request_id(message: Message) -> None:
            if message["type"] == "http.response.start" and context.request_id:
                MutableHeaders(scope=message).append("X-Request-ID", context.request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        finally:
            audit_context.reset(token)
