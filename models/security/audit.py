"""The audit trail: one append-only row per change to master data, policies, users, roles,
credit limits and write-offs, and per login and role denial, each chained to the one before it
by a hash (see activities/security/audit_chain.py)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DDL, Column, Text, event
from sqlmodel import Field, SQLModel

from models.base import utcnow
from models.columns import UTCDateTime

# PostgreSQL refuses to change or remove a row once written; the migration installs the same.
REFUSE_CHANGES_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit_event is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql
"""
REFUSE_CHANGES_TRIGGER = """
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
"""


class AuditAction(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    ROLE_DENIED = "role_denied"
    DUTY_REFUSED = "duty_refused"
    IMPORTED = "imported"


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True)
    )
    actor: str = Field(index=True, max_length=64, description='username, or "system"')
    address: str | None = Field(default=None, max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    entity_type: str = Field(index=True, max_length=64)
    entity_id: str = Field(index=True, max_length=64)
    action: str = Field(max_length=32)
    # Canonical JSON of the changed fields, sensitive ones masked (models/security/masking.py).
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    previous_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class AuditEventPublic(SQLModel):
    id: int
    occurred_at: datetime
    actor: str
    address: str | None
    request_id: str | None
    entity_type: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


event.listen(
    AuditEvent.__table__,  # type: ignore[attr-defined]
    "after_create",
    DDL(REFUSE_CHANGES_FUNCTION).execute_if(dialect="postgresql"),
)
event.listen(
    AuditEvent.__table__,  # type: ignore[attr-defined]
    "after_create",
    DDL(REFUSE_CHANGES_TRIGGER).execute_if(dialect="postgresql"),
)
