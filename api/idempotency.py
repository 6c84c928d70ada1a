"""Idempotency-Key on write requests: the same user, key and body replay the first answer; the
same key with another body is refused.

The key is claimed (a row with status 0) before the request runs, so a retry that arrives while
the first attempt is still running is told so instead of doing the work a second time. Keys
belong to the user the token names, not to the token: a client that logs in again and retries
still gets its first answer. Answers of 500 and above are forgotten, so those can be retried."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from activities.transaction import transaction
from api.security import read_token
from models.base import utcnow
from models.outbox import IdempotentResponse
from o2c.settings import Settings

WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
IN_PROGRESS = 0
# A claim older than this belongs to a request that died with its process; a retry takes it over.
ABANDONED_AFTER = timedelta(minutes=5)


def _json(detail: str, status_code: int) -> Response:
    body = '{"detail":"' + detail + '"}'
    return Response(body, status_code=status_code, media_type="application/json")


def command_key(request: Request, user: str, kind: str) -> str:
    """The use case's own idempotency key: from the client's Idempotency-Key, else a fresh one."""
    given = request.headers.get("idempotency-key")
    return f"api/{kind}/{user}/{given}"[:160] if given else f"api/{kind}/{uuid.uuid4()}"


class IdempotencyMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: object, engine: Engine, settings: Settings) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.engine = engine
        self.settings = settings

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        key = request.headers.get("idempotency-key")
        if request.method not in WRITE_METHODS or not key:
            return await call_next(request)
        user = self._caller(request)
        if user is None:
            return await call_next(request)  # the route answers 401; there is nothing to keep
        scope = hashlib.sha256(f"{user}\n{request.url.path}\n{key}".encode()).hexdigest()
        digest = hashlib.sha256(await request.body()).hexdigest()
        earlier = await run_in_threadpool(self._claim, scope, digest)
        if earlier is not None:
            if earlier.request_hash != digest:
                return _json("Idempotency-Key was used with a different body", 422)
            if earlier.status_code == IN_PROGRESS:
                return _json("a request with this Idempotency-Key is still running", 409)
            return Response(
                earlier.body,
                status_code=earlier.status_code,
                media_type="application/json",
                headers={"Idempotent-Replay": "true"},
            )
        try:
            response = await call_next(request)
            chunks = [chunk async for chunk in response.body_iterator]  # type: ignore[attr-defined]
        except BaseException:
            await run_in_threadpool(self._release, scope)
            raise
        content = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks)
        if response.status_code < 500:
            await run_in_threadpool(self._keep, scope, response.status_code, content.decode())
        else:
            await run_in_threadpool(self._release, scope)
        return Response(
            content,
            status_code=response.status_code,
            headers=dict(response.headers),
            media_type=response.media_type,
        )

    def _caller(self, request: Request) -> str | None:
        scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
        if scheme.lower() != "bearer" or not token:
            return None
        return read_token(self.settings, token)

    def _claim(self, scope: str, digest: str) -> IdempotentResponse | None:
        """None when this request may run; else the earlier request's row."""
        try:
            with transaction(self.engine) as session:
                session.add(
                    IdempotentResponse(
                        key=scope, request_hash=digest, status_code=IN_PROGRESS, body=""
                    )
                )
            return None
        except IntegrityError:
            pass
        with transaction(self.engine) as session:
            earlier = session.exec(
                select(IdempotentResponse).where(IdempotentResponse.key == scope)
            ).one()
            abandoned = earlier.created_at < utcnow() - ABANDONED_AFTER
            same_body = earlier.request_hash == digest
            if earlier.status_code != IN_PROGRESS or not abandoned or not same_body:
                return earlier
            taken = session.execute(
                update(IdempotentResponse)
                .where(
                    col(IdempotentResponse.id) == earlier.id,
                    col(IdempotentResponse.created_at) == earlier.created_at,
                )
                .values(created_at=utcnow())
            )
            return None if taken.rowcount == 1 else earlier  # type: ignore[attr-defined]

    def _keep(self, scope: str, status_code: int, body: str) -> None:
        with transaction(self.engine) as session:
            session.execute(
                update(IdempotentResponse)
                .where(col(IdempotentResponse.key) == scope)
                .values(status_code=status_code, body=body)
            )

    def _release(self, scope: str) -> None:
        with transaction(self.engine) as session:
            session.execute(delete(IdempotentResponse).where(col(IdempotentResponse.key) == scope))
