"""An entity's history on its page, for those who may read the audit trail (auditor, admin):
who changed it, when, and what, as the audit trail keeps it (secrets masked, as the API shows
them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from activities.security.audit_listing import AuditFilter, list_audit_events
from api.deps import Database
from models.security.audit import AuditEventPublic
from models.security.users import Role, User

AUDIT_READERS = frozenset({Role.AUDITOR, Role.ADMIN})  # as `GET /audit`
NEWEST = 50


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def changes(event: AuditEventPublic) -> list[Change]:
    """The fields the event set or changed, with what they were."""
    before, after = event.before or {}, event.after or {}
    return [
        Change(field, before.get(field), value)
        for field, value in after.items()
        if field not in before or before[field] != value
    ]


@dataclass(frozen=True)
class HistoryRow:
    event: AuditEventPublic
    changes: list[Change]


async def entity_history(
    db: Database, user: User, entity_type: str, entity_id: int
) -> list[HistoryRow] | None:
    """The entity's newest audit rows, newest first; None for a person who may not read them."""
    if not user.role_set & AUDIT_READERS:
        return None
    wanted = AuditFilter(entity_type=entity_type, entity_id=str(entity_id))
    events, _ = await db.run(list_audit_events, wanted, NEWEST, 0)
    return [HistoryRow(event, changes(event)) for event in events]
