"""Rows written at once (`insert_all`: COPY on PostgreSQL) read back as the same rows written one
at a time through the ORM: text with tabs, line breaks and backslashes, NULLs, enums, JSON,
encrypted text and timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.bulk_writes import insert_all
from activities.transaction import transaction
from models.outbox import OutboxKind, OutboxMessage, OutboxState

OUTBOX: Table = OutboxMessage.__table__  # type: ignore[attr-defined]
AT = datetime(2026, 11, 30, 9, 15, 30, 123456, tzinfo=UTC)


def _message(key: str, n: int, values: dict[str, Any]) -> OutboxMessage:
    defaults: dict[str, Any] = {
        "kind": OutboxKind.EMAIL,
        "target": "someone@example.com",
        "name": "Reminder",
        "payload": {"n": n},
        "created_at": AT,
        "next_attempt_at": AT,
    }
    return OutboxMessage(key=key, **(defaults | values))


MESSAGES: list[tuple[int, dict[str, Any]]] = [
    (1, {"name": "tab\there, line\nbreak, return\r, back\\slash \\N", "last_error": None}),
    (2, {"name": "plain", "last_error": "a\\tb", "state": OutboxState.SENT, "attempts": 3}),
    (3, {"target": "tab\tin a cipher's plain text", "payload": {"text": "a\tb\nc\\d"}}),
    (4, {"name": "plain", "created_at": AT.astimezone(timezone(timedelta(hours=8)))}),
]


def _stored(engine: Engine, how: str) -> list[dict[str, Any]]:
    """The messages written `how`, in their order, each without its id and key."""
    with Session(engine) as session:
        found = session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.key).startswith(f"{how}-"))
            .order_by(col(OutboxMessage.key))
        ).all()
        return [message.model_dump(exclude={"id", "key"}) for message in found]


def test_rows_written_at_once_read_back_as_rows_written_one_by_one(engine: Engine) -> None:
    with transaction(engine) as session:
        for n, values in MESSAGES:
            session.add(_message(f"one-{n}", n, values))
    at_once = [_message(f"all-{n}", n, values).model_dump(exclude={"id"}) for n, values in MESSAGES]
    with transaction(engine) as session:
        insert_all(session, OUTBOX, at_once)

    written_at_once = _stored(engine, "all")
    assert len(written_at_once) == len(MESSAGES)
    assert written_at_once == _stored(engine, "one")
    first, _, third, fourth = written_at_once
    assert first["name"] == "tab\there, line\nbreak, return\r, back\\slash \\N"
    assert first["last_error"] is None
    assert (third["target"], third["payload"]) == (
        "tab\tin a cipher's plain text",
        {"text": "a\tb\nc\\d"},
    )
    assert fourth["created_at"] == AT
