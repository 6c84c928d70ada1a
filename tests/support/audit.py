"""Reading the audit trail's refusals as an auditor would find them."""

from __future__ import annotations

import json

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.security.audit import AuditAction, AuditEvent


def duty_refusals(engine: Engine) -> list[tuple[str, str, str]]:
    """(who, route, rule) of every `duty_refused` row, oldest first."""
    with Session(engine) as session:
        events = session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == AuditAction.DUTY_REFUSED)
            .order_by(col(AuditEvent.id))
        ).all()
    return [(e.actor, e.entity_id, json.loads(e.after or "{}").get("rule", "")) for e in events]
