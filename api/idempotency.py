"""Idempotency-Key on write requests: the same key and body replay the first answer; the same
key with another body is refused."""

from __future__ import annotations

import hashlib

from fastapi import Request, Response
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from api.security import read_token
from models.outbox import IdempotentResponse

WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}


def _caller(request: Request) -> str:
    """Keys are per user, not per token: a resend with a refreshed token is still a repeat."""
    authorization = request.headers.get("authorization", "")
    token = authorization.removeprefix("Bearer ").strip()
    username = read_token(request.app.state.settings, token) if token else None
    return f"user:{username}" if username else authorization[-16:]


class IdempotencyMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: object, engine: Engine) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.engine = engine

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        key = request.headers.get("idempotency-key")
        if request.method not in WRITE_METHODS or not key:
            return await call_next(request)
        body = await request.body()
        scope = f"{_caller(request)}:{request.url.path}:{key}"[:300]
        digest = hashlib.sha256(body).hexdigest()
        with Session(self.engine) as session:
            earlier = session.exec(
                select(IdempotentResponse).where(IdempotentResponse.key == scope)
            ).first()
        if earlier is not None:
            if earlier.request_hash != digest:
                return Response(
                    '{"detail":"Idempotency-Key was used with a different body"}',
                    status_code=422,
                    media_type="application/json",
                )
            return Response(
                earlier.body,
                status_code=earlier.status_code,
                media_type="application/json",
                headers={"Idempotent-Replay": "true"},
            )
        response = await call_next(request)
        chunks = [chunk async for chunk in response.body_iterator]  # type: ignore[attr-defined]
        content = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks)
        if response.status_code < 500:
            try:
                with Session(self.engine) as session, session.begin():
                    session.add(
                        IdempotentResponse(
                            key=scope,
                            request_hash=digest,
                            status_code=response.status_code,
                            body=content.decode(),
                        )
                    )
            except IntegrityError:
                pass  # a concurrent twin stored its answer first
        return Response(
            content,
            status_code=response.status_code,
            headers=dict(response.headers),
            media_type=response.media_type,
        )
