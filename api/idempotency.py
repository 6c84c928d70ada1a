"""Idempotency-Key on write requests: the same user, path, key and body replay the first answer;
the same key with another body is refused (409).

The key is claimed (a row with status 0) before the request runs, so a retry that arrives while
the first attempt is still running is told so instead of doing the work a second time. The
command the request runs writes its answer into that row in its own transaction
(api/idempotent_answer.py), so a crash after the commit leaves the answer for the retry, and a
crash before it leaves only the claim, taken over once abandoned. Keys belong to the user the
token names, not to the token: a client that logs in again and retries still gets its first
answer; a deactivated user gets nothing replayed. Answers of 500 and above are forgotten unless a
command committed, so those can be retried."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from activities.transaction import transaction
from api.idempotent_answer import IN_PROGRESS, KeyedRequest, keyed_request
from api.pages.session import COOKIE as SESSION_COOKIE
from api.security import token_holder
from models.base import utcnow
from models.outbox import IdempotentResponse
from models.security.users import User
from o2c.settings import Settings

WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
# A claim older than this belongs to a request that died with its process before its command
# committed (a committed command leaves its answer, not a claim); a retry takes it over.
ABANDONED_AFTER = timedelta(minutes=5)  # the setting's default


def _json(detail: str, status_code: int) -> Response:
    body = '{"detail":"' + detail + '"}'
    return Response(body, status_code=status_code, media_type="application/json")


def command_key(request: Request, user: str, kind: str) -> str:
    """The use case's own idempotency key: the client's Idempotency-Key scoped by user, path and
    body (the same key on another invoice is another credit note), else a fresh one."""
    keyed = keyed_request.get()
    if keyed is not None:
        scoped = hashlib.sha256(f"{keyed.scope}\n{keyed.digest}".encode()).hexdigest()
        return f"api/{kind}/{scoped}"
    return f"api/{kind}/{uuid.uuid4()}"


class IdempotencyMiddleware:
    """Plain ASGI (no task and streams per request, as Starlette's BaseHTTPMiddleware has): the
    answer is collected as the application sends it, kept or released, then sent on."""

    def __init__(self, app: ASGIApp, engine: Engine, settings: Settings) -> None:
        self.app = app
        self.engine = engine
        self.settings = settings
        self.abandoned_after = timedelta(seconds=settings.idempotency_abandon_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        key = request.headers.get("idempotency-key")
        token = _token(request)
        if not key or not token:
            await self.app(scope, receive, send)  # without a token the route answers 401
            return
        body = await _whole_body(receive)
        again = _replay(body, receive)
        digest = hashlib.sha256(body).hexdigest()
        path = request.url.path
        claimed = await run_in_threadpool(self._claim, token, path, key, digest)
        if claimed is None:
            await self.app(scope, again, send)  # the route answers 401; nothing to keep or replay
            return
        if isinstance(claimed, IdempotentResponse):
            page = path.startswith("/app/")
            media_type = "text/html" if page else "application/json"
            await _earlier_answer(claimed, digest, media_type)(scope, again, send)
            return
        user, claim_scope, claimed_digest, claimed_at = claimed
        keyed = KeyedRequest(claim_scope, claimed_digest, claimed_at, scope, token, user)
        answer = _Answer()
        reset = keyed_request.set(keyed)
        try:
            await self.app(scope, again, answer.collect)
        except BaseException:
            await run_in_threadpool(self._release, keyed)
            raise
        finally:
            keyed_request.reset(reset)
        content = b"".join(answer.chunks)
        if answer.status < 500:
            await run_in_threadpool(self._keep, keyed, answer.status, content.decode())
        else:
            await run_in_threadpool(self._release, keyed)
        await answer.send_on(send, content)

    def _claim(
        self, token: str, path: str, key: str, digest: str
    ) -> tuple[User, str, str, datetime] | IdempotentResponse | None:
        """In one transaction: the active user the token names (None leaves the refusal to the
        route), then the claim on (user, path, key); returns the user, the claim's scope, the
        body's digest and the claim's time when this request may run, else the earlier request's
        row."""
        with transaction(self.engine) as session:
            user = token_holder(session, self.settings, token)
            if user is None:
                return None
            scope = hashlib.sha256(f"{user.username}\n{path}\n{key}".encode()).hexdigest()
            claim = IdempotentResponse(
                key=scope, request_hash=digest, status_code=IN_PROGRESS, body=""
            )
            try:
                with session.begin_nested():
                    session.add(claim)
                return user, scope, digest, claim.created_at
            except IntegrityError:
                pass
            earlier = session.exec(
                select(IdempotentResponse).where(IdempotentResponse.key == scope)
            ).one()
            abandoned = earlier.created_at < utcnow() - self.abandoned_after
            same_body = earlier.request_hash == digest
            if earlier.status_code != IN_PROGRESS or not abandoned or not same_body:
                return earlier
            now = utcnow()
            taken = session.execute(
                update(IdempotentResponse)
                .where(
                    col(IdempotentResponse.id) == earlier.id,
                    col(IdempotentResponse.created_at) == earlier.created_at,
                )
                .values(created_at=now)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                return user, scope, digest, now
            return earlier

    def _keep(self, keyed: KeyedRequest, status_code: int, body: str) -> None:
        """The answer as sent, where it is not the one the command kept (the route may add to
        it, or no command wrote): one transaction fewer for most writes."""
        if keyed.kept == (status_code, body):
            return
        with transaction(self.engine) as session:
            session.execute(
                update(IdempotentResponse)
                .where(*_ours(keyed))
                .values(status_code=status_code, body=body)
            )

    def _release(self, keyed: KeyedRequest) -> None:
        """Forgets the claim so a retry may run, unless a command committed and kept its answer."""
        with transaction(self.engine) as session:
            session.execute(
                delete(IdempotentResponse).where(
                    *_ours(keyed), col(IdempotentResponse.status_code) == IN_PROGRESS
                )
            )


class _Answer:
    """The application's answer, held until it is kept."""

    def __init__(self) -> None:
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def collect(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    @property
    def status(self) -> int:
        if self.start is None:
            raise RuntimeError("the application ended without answering")
        return int(self.start["status"])

    async def send_on(self, send: Send, content: bytes) -> None:
        assert self.start is not None
        await send(self.start)
        await send({"type": "http.response.body", "body": content, "more_body": False})


async def _whole_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body once more for the application, then the connection's own messages."""
    replayed = False

    async def again() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


def _token(request: Request) -> str:
    """The bearer token, or for a page's form the session's; empty when there is neither."""
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    if scheme.lower() != "bearer" or not token:
        token = request.cookies.get(SESSION_COOKIE, "")
    return token


def _ours(keyed: KeyedRequest) -> tuple[ColumnElement[bool], ...]:
    """This request's row, not one a retry took over."""
    return (
        col(IdempotentResponse.key) == keyed.scope,
        col(IdempotentResponse.created_at) == keyed.claimed_at,
    )


def _earlier_answer(earlier: IdempotentResponse, digest: str, media_type: str) -> Response:
    if earlier.request_hash != digest:
        return _json("Idempotency-Key was used with a different body", 409)
    if earlier.status_code == IN_PROGRESS:
        return _json("a request with this Idempotency-Key is still running", 409)
    return Response(
        earlier.body,
        status_code=earlier.status_code,
        media_type=media_type,
        headers={"Idempotent-Replay": "true"},
    )
