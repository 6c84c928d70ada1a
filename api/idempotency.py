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
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

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


class IdempotencyMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: object, engine: Engine, settings: Settings) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.engine = engine
        self.settings = settings
        self.abandoned_after = timedelta(seconds=settings.idempotency_abandon_seconds)

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        key = request.headers.get("idempotency-key")
        token = _token(request)
        if request.method not in WRITE_METHODS or not key or not token:
            return await call_next(request)  # without a token the route answers 401
        digest = hashlib.sha256(await request.body()).hexdigest()
        claimed = await run_in_threadpool(self._claim, token, request.url.path, key, digest)
        if claimed is None:
            return await call_next(request)  # the route answers 401; nothing to keep or replay
        if isinstance(claimed, IdempotentResponse):
            page = request.url.path.startswith("/app/")
            return _earlier_answer(claimed, digest, "text/html" if page else "application/json")
        user, scope, claimed_digest, claimed_at = claimed
        keyed = KeyedRequest(
            scope, claimed_digest, claimed_at, request.scope, token=token, caller=user
        )
        reset = keyed_request.set(keyed)
        try:
            response = await call_next(request)
            chunks = [chunk async for chunk in response.body_iterator]  # type: ignore[attr-defined]
        except BaseException:
            await run_in_threadpool(self._release, keyed)
            raise
        finally:
            keyed_request.reset(reset)
        content = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks)
        if response.status_code < 500:
            await run_in_threadpool(self._keep, keyed, response.status_code, content.decode())
        else:
            await run_in_threadpool(self._release, keyed)
        return Response(
            content,
            status_code=response.status_code,
            headers=dict(response.headers),
            media_type=response.media_type,
        )

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
