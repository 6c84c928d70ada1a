"""The answer to a keyed write request, kept in the same transaction as the command it ran: a crash
leaves either nothing (the retry runs it) or the command and its answer (the retry replays it)."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import event, update
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session, col

from models.errors import Conflict
from models.outbox import IdempotentResponse
from models.security.users import User

IN_PROGRESS = 0
# Kept when the command's result is not the route's answer; the answer read afterwards replaces it.
UNKEPT_ANSWER = '{"detail":"this request was done; read the resource for its answer"}'


@dataclass
class KeyedRequest:
    """What the middleware knows of a request it claimed, for the command that runs it."""

    scope: str  # hash of user, path and key
    digest: str  # hash of the body
    claimed_at: datetime  # the claim's created_at: whoever takes an abandoned claim over moves it
    asgi_scope: MutableMapping[str, Any]  # the route is in it once routing has happened
    # The active user the token named when the claim was taken, in the claim's transaction: the
    # route's caller when the route reads the same token (api/deps.py), not read a second time.
    token: str = ""
    caller: User | None = None
    answered: bool = field(default=False)
    kept: tuple[int, str] | None = None  # the status and body the command kept with its commit
    status_of: Callable[[Any], int] | None = None  # for routes whose status depends on the result


keyed_request: ContextVar[KeyedRequest | None] = ContextVar("keyed_request", default=None)


def answer_status(status_of: Callable[[Any], int]) -> None:
    """For a route that picks its status from the command's result (202 when it waits): the
    answer kept with the command gets the same status."""
    request = keyed_request.get()
    if request is not None:
        request.status_of = status_of


def watch_writes(session: Session) -> None:
    """Notes in `session.info` whether the command writes anything (reads keep no answer)."""

    def flushed(*_: object) -> None:
        session.info["wrote"] = True

    def executed(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            session.info["wrote"] = True

    event.listen(session, "after_flush", flushed)
    event.listen(session, "do_orm_execute", executed)


def keep_answer(session: Session, result: object) -> None:
    """Before the command commits: its answer goes in the request's claim, in the same transaction.
    Only the first command of the request that writes keeps it."""
    request = keyed_request.get()
    if request is None or request.answered:
        return
    session.flush()
    if not session.info.get("wrote"):
        return
    status_code, body = _answer(request, result)
    kept = session.execute(
        update(IdempotentResponse)
        .where(
            col(IdempotentResponse.key) == request.scope,
            col(IdempotentResponse.status_code) == IN_PROGRESS,
            col(IdempotentResponse.created_at) == request.claimed_at,
        )
        .values(status_code=status_code, body=body)
        # The claim is never loaded in the command's session: nothing there to bring up to date.
        .execution_options(synchronize_session=False)
    )
    if kept.rowcount != 1:  # type: ignore[attr-defined]
        # A retry took the claim over as abandoned: only one of the two may commit.
        raise Conflict("a retry with this Idempotency-Key has taken this request over")
    request.answered = True
    request.kept = (status_code, body)


def _answer(request: KeyedRequest, result: object) -> tuple[int, str]:
    """The route's status and its response model's JSON of the result, as FastAPI would send."""
    route = request.asgi_scope.get("route")
    status_code = getattr(route, "status_code", None) or 200
    if request.status_of is not None:
        status_code = request.status_of(result)
    model = getattr(route, "response_model", None)
    if model is None:
        return status_code, "" if status_code == 204 else UNKEPT_ANSWER
    adapter = _adapter(model)
    try:
        value = adapter.validate_python(result, from_attributes=True)
    except ValidationError:
        return status_code, UNKEPT_ANSWER
    return status_code, adapter.dump_json(value).decode()


@lru_cache(maxsize=512)
def _adapter(model: Any) -> TypeAdapter[Any]:
    """Built once per response model: building one costs more than the answer it writes."""
    return TypeAdapter(model)
