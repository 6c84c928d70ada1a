"""The transactional outbox: mails and workflow messages written with the data that causes them,
delivered after commit by a relay that retries until the other side has them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import optional_timestamp_field, timestamp_field, utcnow
from models.columns import UTCDateTime
from models.security.field_cipher import EncryptedText


class OutboxKind(StrEnum):
    EMAIL = "email"
    SIGNAL = "signal"
    START_WORKFLOW = "start_workflow"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    # E-mail only (activities/documents/mail_delivery.py): an attempt holds the row while it
    # talks SMTP, SUBMITTING once it has begun DATA, UNCONFIRMED when it died there and nobody
    # can tell.
    SENDING = "sending"
    SUBMITTING = "submitting"
    UNCONFIRMED = "unconfirmed"
    # Workflow messages only (o2c/relay.py): given up on, with `dead_reason`, for ops to resend.
    DEAD = "dead"


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    kind: OutboxKind = Field(index=True)
    state: OutboxState = Field(default=OutboxState.PENDING, index=True)
    # A mail's recipient is often a customer's e-mail: encrypted at rest like the customer.
    target: str = Field(
        sa_column=Column(EncryptedText("outbox_message.target"), nullable=False),
        description="workflow id or e-mail recipient",
    )
    name: str = Field(max_length=200, description="signal name, workflow type or mail subject")
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    attempts: int = 0
    last_error: str | None = None
    claim_token: str | None = Field(default=None, max_length=32)
    # The relay claims by this, not by age: a row that keeps failing waits its back-off and
    # never holds up newer ones.
    next_attempt_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True)
    )
    dead_reason: str | None = None
    created_at: datetime = timestamp_field()
    sent_at: datetime | None = optional_timestamp_field()


class OutboxMessagePublic(SQLModel):
    """A message as ops see it in the outbox list."""

    id: int
    key: str
    kind: OutboxKind
    state: OutboxState
    target: str
    name: str
    attempts: int
    last_error: str | None
    dead_reason: str | None
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None


class IdempotentResponse(SQLModel, table=True):
    """A write request carrying an Idempotency-Key: claimed (status 0) while it runs, then its first
    answer, written in the same transaction as its command (api/idempotent_answer.py); replayed
    for repeats."""

    __tablename__ = "idempotent_response"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=300)
    request_hash: str = Field(max_length=64)
    status_code: int
    # The answer may be a customer's record: encrypted at rest like the customer (security.md).
    body: str = Field(sa_column=Column(EncryptedText("idempotent_response.body"), nullable=False))
    created_at: datetime = timestamp_field()


class DocumentSequence(SQLModel, table=True):
    """Gapless numbering per series and year (SO-2026-000001): the row is locked while used."""

    __tablename__ = "document_sequence"
    __table_args__ = (UniqueConstraint("series", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    series: str = Field(max_length=16)
    year: int
    last: int = 0
