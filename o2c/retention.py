"""What o2c keeps only for a while: the rendered body of a sent e-mail (its text, HTML and
attachment list in the outbox; who it went to, its subject and when stay) after
O2C_MAIL_RETENTION_DAYS, and a stored Idempotency-Key answer after
O2C_IDEMPOTENCY_RETENTION_HOURS. Purged in batches, one transaction each, by every worker once
an hour; a purge that did not run catches up at the next, since it goes by age."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from activities.transaction import transaction
from models.outbox import IdempotentResponse, OutboxKind, OutboxMessage, OutboxState
from o2c.settings import Settings

log = logging.getLogger(__name__)
BATCH = 500
INTERVAL = timedelta(hours=1)
# What a purged mail keeps of its payload: which template made it, not what it said.
KEPT = ("template",)


@dataclass(frozen=True)
class Purged:
    mails: int = 0
    answers: int = 0


def purge_mail_bodies(engine: Engine, before: datetime, batch: int = BATCH) -> int:
    """Clears the rendered content of e-mails sent before `before`; returns how many."""
    purged = 0
    while True:
        with transaction(engine) as session:
            sent = session.exec(
                select(OutboxMessage)
                .where(
                    col(OutboxMessage.kind) == OutboxKind.EMAIL,
                    col(OutboxMessage.state) == OutboxState.SENT,
                    col(OutboxMessage.sent_at) < before,
                    col(OutboxMessage.payload)["text"].as_string().is_not(None),
                )
                .order_by(col(OutboxMessage.id))
                .limit(batch)
            ).all()
            for message in sent:
                kept: dict[str, Any] = {k: v for k, v in message.payload.items() if k in KEPT}
                message.payload = kept
                session.add(message)
        purged += len(sent)
        if len(sent) < batch:
            return purged


def purge_idempotent_answers(engine: Engine, before: datetime, batch: int = BATCH) -> int:
    """Deletes the Idempotency-Key answers stored before `before`; returns how many."""
    deleted = 0
    while True:
        with transaction(engine) as session:
            ids = session.exec(
                select(IdempotentResponse.id)
                .where(col(IdempotentResponse.created_at) < before)
                .order_by(col(IdempotentResponse.id))
                .limit(batch)
            ).all()
            if ids:
                session.execute(
                    delete(IdempotentResponse).where(col(IdempotentResponse.id).in_(ids))
                )
        deleted += len(ids)
        if len(ids) < batch:
            return deleted


def purge_expired(engine: Engine, settings: Settings, now: datetime | None = None) -> Purged:
    now = now or datetime.now(UTC)
    return Purged(
        mails=purge_mail_bodies(engine, now - timedelta(days=settings.mail_retention_days)),
        answers=purge_idempotent_answers(
            engine, now - timedelta(hours=settings.idempotency_retention_hours)
        ),
    )


async def purge_forever(engine: Engine, settings: Settings, interval: timedelta = INTERVAL) -> None:
    while True:
        try:
            purged = await asyncio.to_thread(purge_expired, engine, settings)
            if purged.mails or purged.answers:
                # Counts only: never what the mails or answers said.
                log.info(
                    "retention: %s mail bodies and %s answers purged", purged.mails, purged.answers
                )
        except Exception:  # the worker must outlive a database hiccup
            log.exception("retention purge failed")
        await asyncio.sleep(interval.total_seconds())
