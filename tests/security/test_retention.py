"""Retention: a sent e-mail's rendered body leaves the outbox after O2C_MAIL_RETENTION_DAYS, a
stored Idempotency-Key answer after O2C_IDEMPOTENCY_RETENTION_HOURS; younger ones, and mails
ops may still resend, stay. Rows are aged by setting their timestamps."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.outbox import IdempotentResponse, OutboxKind, OutboxMessage, OutboxState
from o2c.retention import purge_expired, purge_forever, purge_idempotent_answers, purge_mail_bodies
from tests.support.polling import eventually
from tests.support.settings import make_settings

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BODY = "Dear Acme, invoice INV-2026-000001 over 146.93 is attached."


def mail(engine: Engine, key: str, state: OutboxState, sent_days_ago: float | None) -> int:
    sent_at = NOW - timedelta(days=sent_days_ago) if sent_days_ago is not None else None
    message = OutboxMessage(
        key=key,
        kind=OutboxKind.EMAIL,
        state=state,
        target="ap@acme.example",
        name="Invoice INV-2026-000001",
        payload={
            "template": "invoice_issued",
            "text": BODY,
            "html": f"<p>{BODY}</p>",
            "attachments": [{"document": "invoice", "id": 1}],
        },
        sent_at=sent_at,
    )
    with Session(engine) as session:
        session.add(message)
        session.commit()
        return message.id or 0


def answer(engine: Engine, key: str, hours_ago: float) -> None:
    stored = IdempotentResponse(
        key=key,
        request_hash="0" * 64,
        status_code=201,
        body='{"id": 1, "total": "146.93"}',
        created_at=NOW - timedelta(hours=hours_ago),
    )
    with Session(engine) as session:
        session.add(stored)
        session.commit()


def payload_of(engine: Engine, message_id: int) -> dict[str, Any]:
    with Session(engine) as session:
        message = session.get(OutboxMessage, message_id)
        assert message is not None
        return message.payload


def answer_keys(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(select(IdempotentResponse.key)).all())


async def test_sent_mails_lose_their_body_after_the_retention(
    engine: Engine, tmp_path: Path
) -> None:
    old = mail(engine, "old", OutboxState.SENT, sent_days_ago=31)
    recent = mail(engine, "recent", OutboxState.SENT, sent_days_ago=29)
    unconfirmed = mail(engine, "unconfirmed", OutboxState.UNCONFIRMED, sent_days_ago=None)
    failed = mail(engine, "failed", OutboxState.FAILED, sent_days_ago=None)

    purged = purge_expired(engine, make_settings(tmp_path, mail_retention_days=30), NOW)

    assert purged.mails == 1
    assert payload_of(engine, old) == {"template": "invoice_issued"}
    for kept in (recent, unconfirmed, failed):  # ops may still resend the last two
        assert payload_of(engine, kept)["text"] == BODY
    with Session(engine) as session:
        record = session.get(OutboxMessage, old)
        assert record is not None
        assert (record.target, record.state) == ("ap@acme.example", OutboxState.SENT)
    assert purge_expired(engine, make_settings(tmp_path), NOW).mails == 0


async def test_stored_answers_are_deleted_after_their_retention(
    engine: Engine, tmp_path: Path
) -> None:
    answer(engine, "k-old", hours_ago=25)
    answer(engine, "k-young", hours_ago=23)

    settings = make_settings(tmp_path, idempotency_retention_hours=24)
    assert purge_expired(engine, settings, NOW).answers == 1
    assert answer_keys(engine) == ["k-young"]


async def test_purges_run_in_batches_until_nothing_old_is_left(sqlite_engine: Engine) -> None:
    for number in range(5):
        mail(sqlite_engine, f"m{number}", OutboxState.SENT, sent_days_ago=40)
        answer(sqlite_engine, f"a{number}", hours_ago=40)
    cutoff = NOW - timedelta(days=1)
    assert purge_mail_bodies(sqlite_engine, cutoff, batch=2) == 5
    assert purge_idempotent_answers(sqlite_engine, cutoff, batch=2) == 5
    assert answer_keys(sqlite_engine) == []


async def test_the_worker_purge_loop_runs_and_logs_counts_never_content(
    sqlite_engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = mail(sqlite_engine, "old", OutboxState.SENT, sent_days_ago=400)
    answer(sqlite_engine, "k-old", hours_ago=24 * 400)
    caplog.set_level(logging.DEBUG)
    loop = asyncio.create_task(
        purge_forever(sqlite_engine, make_settings(tmp_path), timedelta(seconds=0.05))
    )
    try:
        await eventually(
            lambda: asyncio.to_thread(lambda: caplog.text), lambda text: "purged" in text, 10
        )
    finally:
        loop.cancel()
    assert "text" not in payload_of(sqlite_engine, old)
    assert answer_keys(sqlite_engine) == []
    assert "1 mail bodies and 1 answers purged" in caplog.text
    assert "146.93" not in caplog.text and "Dear Acme" not in caplog.text
