"""Sends one queued e-mail exactly once, whatever retries and crashes happen around it.

The outbox row is the record of how far an attempt got:
  pending --claim--> sending --begin DATA--> submitting --250--> sent
An attempt claims the row with a fresh token before it talks to the server, and switches it to
`submitting` (only if its token still holds) just before DATA. So at most one attempt ever
starts DATA, and a retry that finds `sending` knows no message was handed over and sends again.
A retry that finds `submitting` cannot know whether the server took the message (the worker
died between the server's 250 and our commit): it does not resend and marks the row
`unconfirmed` for a person to check. That is at-most-once in a window of one SMTP reply; the
stable Message-ID makes a manual resend recognisable as the same mail."""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from activities.documents.stored_documents import PdfRenderer, render_in_thread, stored_document
from activities.transaction import reading
from models.outbox import OutboxMessage, OutboxState
from notifications.mailer import (
    Attachment,
    MailRefused,
    MailUnbuildable,
    OutcomeUnknown,
    build_message,
    submit_message,
)

log = logging.getLogger(__name__)
DONE = (OutboxState.SENT, OutboxState.FAILED, OutboxState.UNCONFIRMED)


@dataclass(frozen=True)
class MailServer:
    sender: str
    host: str
    port: int
    seller: str


def message_id(key: str) -> str:
    return f"<{key.replace('/', '.')}@o2c>"


def _read(engine: Engine, outbox_id: int) -> OutboxMessage | None:
    with reading(engine) as session:
        return session.get(OutboxMessage, outbox_id)


def claim(engine: Engine, outbox_id: int, token: str) -> OutboxMessage | None:
    """Takes the row for this attempt; None when there is nothing (more) to send."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        mail = session.get(OutboxMessage, outbox_id, with_for_update=True)
        if mail is None or mail.state in DONE:
            return None
        if mail.state == OutboxState.SUBMITTING:
            mail.state = OutboxState.UNCONFIRMED
            mail.last_error = (
                "an earlier attempt stopped during SMTP DATA: the server may have the message; "
                f"check before resending (Message-ID {message_id(mail.key)})"
            )
            session.add(mail)
            log.warning("mail %s: delivery unconfirmed, not resent", mail.key)
            return None
        mail.state = OutboxState.SENDING
        mail.claim_token = token
        mail.attempts += 1
        session.add(mail)
        return mail


def _transition(
    engine: Engine,
    outbox_id: int,
    token: str,
    state: OutboxState,
    *,
    only_from: OutboxState | None = None,
    error: str | None = None,
) -> bool:
    values: dict[str, Any] = {"state": state, "last_error": error}
    if state == OutboxState.SENT:
        values["sent_at"] = datetime.now(UTC)
    statement = (
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == outbox_id, col(OutboxMessage.claim_token) == token)
        .values(**values)
    )
    if only_from is not None:
        statement = statement.where(col(OutboxMessage.state) == only_from)
    with Session(engine) as session, session.begin():
        return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def begin_data(engine: Engine, outbox_id: int, token: str) -> bool:
    """True if this attempt still holds the row: from here on it is the only one that may send."""
    return _transition(
        engine, outbox_id, token, OutboxState.SUBMITTING, only_from=OutboxState.SENDING
    )


def mark_sent(engine: Engine, outbox_id: int, token: str) -> None:
    _transition(engine, outbox_id, token, OutboxState.SENT)


async def _attachments(
    engine: Engine, mail: OutboxMessage, seller: str, render: PdfRenderer
) -> list[Attachment]:
    """The documents the mail names, from storage: a retried attempt renders nothing again."""
    specs = mail.payload.get("attachments", [])
    documents = [await stored_document(engine, spec, seller, render) for spec in specs]
    return [Attachment(d.filename, d.content_type, d.content) for d in documents]


async def deliver(
    engine: Engine, outbox_id: int, server: MailServer, render: PdfRenderer = render_in_thread
) -> OutboxState | None:
    """Sends the mail unless it was sent (or may have been); returns the row's state after.
    `render` makes a PDF not stored yet (the worker's process pool)."""
    mail = await asyncio.to_thread(_read, engine, outbox_id)
    if mail is None or mail.state in DONE:
        return mail.state if mail else None
    # Rendering takes a while and needs no claim: do it before holding the row.
    attachments = await _attachments(engine, mail, server.seller, render)
    token = uuid.uuid4().hex
    claimed = await asyncio.to_thread(claim, engine, outbox_id, token)
    if claimed is None:
        return (await asyncio.to_thread(_read, engine, outbox_id) or mail).state
    try:
        message = build_message(
            sender=server.sender,
            to=claimed.target,
            subject=claimed.name,
            text=claimed.payload["text"],
            html=claimed.payload["html"],
            message_id=message_id(claimed.key),
            attachments=attachments,
        )
    except MailUnbuildable as exc:
        # Like a permanent refusal: failed once, with the reason, never retried.
        await asyncio.to_thread(
            _transition, engine, outbox_id, token, OutboxState.FAILED, error=str(exc)
        )
        log.warning("mail %s cannot be built, not sent: %s", claimed.key, exc)
        return OutboxState.FAILED

    async def before_data() -> bool:
        return await asyncio.to_thread(begin_data, engine, outbox_id, token)

    try:
        handed_over = await submit_message(
            message, host=server.host, port=server.port, before_data=before_data
        )
    except MailRefused as exc:
        state = OutboxState.FAILED if exc.permanent else OutboxState.PENDING
        await asyncio.to_thread(_transition, engine, outbox_id, token, state, error=str(exc))
        if exc.permanent:
            log.warning("mail %s refused for good: %s", claimed.key, exc)
            return state
        raise
    except OutcomeUnknown as exc:
        await asyncio.to_thread(
            _transition, engine, outbox_id, token, OutboxState.UNCONFIRMED, error=str(exc)
        )
        log.warning("mail %s: outcome unknown, not resent: %s", claimed.key, exc)
        return OutboxState.UNCONFIRMED
    if not handed_over:  # a later attempt took the row over before DATA: it sends, not us
        return (await asyncio.to_thread(_read, engine, outbox_id) or claimed).state
    await asyncio.to_thread(mark_sent, engine, outbox_id, token)
    return OutboxState.SENT
