"""Reading the audit trail: filtered by entity, user and period, newest first, a page at a time
(or all of the filtered rows, for the export)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from activities.paging import page
from models.security.audit import AuditEvent, AuditEventPublic

EXPORT_COLUMNS = [
    "id",
    "occurred_at",
    "actor",
    "address",
    "request_id",
    "entity_type",
    "entity_id",
    "action",
    "before",
    "after",
]


@dataclass(frozen=True)
class AuditFilter:
    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    day_from: date | None = None
    day_to: date | None = None  # inclusive


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _query(wanted: AuditFilter) -> SelectOfScalar[AuditEvent]:
    query = select(AuditEvent).order_by(col(AuditEvent.id).desc())
    if wanted.entity_type is not None:
        query = query.where(AuditEvent.entity_type == wanted.entity_type)
    if wanted.entity_id is not None:
        query = query.where(AuditEvent.entity_id == wanted.entity_id)
    if wanted.actor is not None:
        query = query.where(AuditEvent.actor == wanted.actor)
    if wanted.day_from is not None:
        query = query.where(col(AuditEvent.occurred_at) >= _start_of(wanted.day_from))
    if wanted.day_to is not None:
        next_day = _start_of(wanted.day_to + timedelta(days=1))
        query = query.where(col(AuditEvent.occurred_at) < next_day)
    return query


def to_public(event: AuditEvent) -> AuditEventPublic:
    assert event.id is not None
    return AuditEventPublic(
        id=event.id,
        occurred_at=event.occurred_at,
        actor=event.actor,
        address=event.address,
        request_id=event.request_id,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        action=event.action,
        before=json.loads(event.before) if event.before else None,
        after=json.loads(event.after) if event.after else None,
    )


def list_audit_events(
    session: Session, wanted: AuditFilter, limit: int, offset: int
) -> tuple[list[AuditEventPublic], int]:
    events, total = page(session, _query(wanted), limit, offset)
    return [to_public(e) for e in events], total


def audit_table(session: Session, wanted: AuditFilter) -> tuple[list[str], list[list[object]]]:
    """Every filtered row, newest first, as the export's table (before and after as JSON)."""
    rows: list[list[object]] = [
        [
            event.id,
            event.occurred_at.isoformat(),
            event.actor,
            event.address,
            event.request_id,
            event.entity_type,
            event.entity_id,
            event.action,
            event.before,
            event.after,
        ]
        for event in session.exec(_query(wanted)).all()
    ]
    return EXPORT_COLUMNS, rows
