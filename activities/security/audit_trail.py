"""Writes the audit trail: every insert, update and delete of an audited table, seen by the
session of each command (activities/transaction.py) or, for bulk statements no flush sees (an
import's batches), told by their writer; and the events no table records (logins, role
denials), each by one call where it happens."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ColumnProperty, Mapper, Session, UOWTransaction
from sqlalchemy.orm.attributes import NO_VALUE
from sqlalchemy.orm.state import InstanceState
from sqlmodel import Session as ModelSession

from activities.security.audit_chain import append, canonical_json
from activities.security.audit_context import current_audit_context
from models.base import utcnow
from models.security.audit import AuditAction
from models.security.masking import masked_fields

# Audited tables, and the columns whose changes count (None: every column).
AUDITED: dict[str, frozenset[str] | None] = {
    "customer": None,
    "product": None,
    "price_list": None,
    "price_list_item": None,
    "approval_policy": None,
    "credit_class_policy": None,
    "dunning_policy": None,
    "dunning_step": None,
    "user": None,
    "collection_task": frozenset({"assignee"}),
    "write_off": None,
    "bad_debt_proposal": None,
    "credit_limit_change": None,
    "customer_financials": None,
    "credit_scorecard": None,
    "credit_review_rules": None,
    "customer_credit_hold": None,
}


def plain(value: Any) -> Any:
    """A column's value as JSON keeps it exactly: money and dates as strings."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | datetime | date):
        return str(value)
    return value


def _event(
    entity_type: str,
    entity_id: str,
    action: AuditAction,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: str | None = None,
) -> dict[str, Any]:
    context = current_audit_context()
    return {
        "occurred_at": utcnow(),
        "actor": (actor or context.actor)[:64],
        "address": context.address,
        "request_id": context.request_id,
        "entity_type": entity_type,
        "entity_id": entity_id[:64],
        "action": action.value,
        "before": canonical_json(masked_fields(before)) if before is not None else None,
        "after": canonical_json(masked_fields(after)) if after is not None else None,
    }


def _audited(attr: ColumnProperty[Any]) -> bool:
    """A column marked `info={"audit": False}` (a blind index: a hash of another column) is
    derived, not a change of its own."""
    return all(column.info.get("audit", True) for column in attr.columns)


@cache
def _audited_keys(mapper: Mapper[Any]) -> tuple[str, ...]:
    return tuple(attr.key for attr in mapper.column_attrs if _audited(attr))


def audited_values(mapper: Mapper[Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """What the audit trail keeps of a row's column values (by name): every audited column."""
    return {key: plain(values[key]) for key in _audited_keys(mapper) if key in values}


def _columns(state: InstanceState[Any]) -> dict[str, Any]:
    return audited_values(state.mapper, state.dict)


def _entity_id(state: InstanceState[Any]) -> str:
    key = state.mapper.primary_key_from_instance(state.obj())
    return ",".join(str(part) for part in key)


def _counted(attr: ColumnProperty[Any], columns: frozenset[str] | None) -> bool:
    return (columns is None or attr.key in columns) and _audited(attr)


def _differs(before: dict[str, Any], after: dict[str, Any], key: str, old: Any, new: Any) -> None:
    if plain(old) != plain(new):
        before[key], after[key] = plain(old), plain(new)


def _change(state: InstanceState[Any], columns: frozenset[str] | None) -> tuple[dict, dict]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if not _counted(attr, columns):
            continue
        history = state.attrs[attr.key].history
        if not history.added:
            continue
        old = history.deleted[0] if history.deleted else None
        _differs(before, after, attr.key, None if old is NO_VALUE else old, history.added[0])
    return before, after


def _changes(session: Session) -> list[dict[str, Any]]:
    events = []
    for obj in session.new:
        state = inspect(obj)
        table = state.mapper.local_table.name  # type: ignore[attr-defined]
        if table in AUDITED:
            after = _columns(state)
            events.append(_event(table, _entity_id(state), AuditAction.CREATED, None, after))
    for obj in session.dirty:
        state = inspect(obj)
        table = state.mapper.local_table.name  # type: ignore[attr-defined]
        if table in AUDITED and state.persistent:
            before, after = _change(state, AUDITED[table])
            if after:
                events.append(_event(table, _entity_id(state), AuditAction.UPDATED, before, after))
    for obj in session.deleted:
        state = inspect(obj)
        table = state.mapper.local_table.name  # type: ignore[attr-defined]
        if table in AUDITED:
            before = _columns(state)
            events.append(_event(table, _entity_id(state), AuditAction.DELETED, before, None))
    return events


def record_flushed_changes(session: Session, _flush: UOWTransaction) -> None:
    """after_flush: the session still lists what it flushed, now with the new rows' ids."""
    append(session.connection(), _changes(session))


@dataclass(frozen=True)
class BulkWrite:
    """A row a bulk INSERT (no `before`) or UPDATE wrote: its id, and its column values after
    and, when changed, before."""

    entity_id: int
    after: Mapping[str, Any]
    before: Mapping[str, Any] | None = None


def record_bulk_writes(session: Session, model: type[Any], writes: list[BulkWrite]) -> None:
    """Rows bulk statements wrote, which no flush sees: each leaves the audit row a flush would
    have left (record_flushed_changes), all appended to the chain in one call."""
    mapper: Mapper[Any] = inspect(model)
    table = mapper.local_table.name  # type: ignore[attr-defined]
    if table in AUDITED:
        events = [_bulk_event(mapper, table, write) for write in writes]
        append(session.connection(), [event for event in events if event is not None])


def _bulk_event(mapper: Mapper[Any], table: str, write: BulkWrite) -> dict[str, Any] | None:
    entity_id = str(write.entity_id)
    if write.before is None:
        after = audited_values(mapper, write.after)
        return _event(table, entity_id, AuditAction.CREATED, None, after)
    changed_before: dict[str, Any] = {}
    changed_after: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        if attr.key in write.after and _counted(attr, AUDITED[table]):
            old, new = write.before.get(attr.key), write.after[attr.key]
            _differs(changed_before, changed_after, attr.key, old, new)
    if not changed_after:
        return None
    return _event(table, entity_id, AuditAction.UPDATED, changed_before, changed_after)


# The session info key of a session whose flushes are audited (`watch_changes`).
WATCHED = "o2c_audit_watched"


def watch_changes(session: Session) -> None:
    """A flag, not a listener of its own: listening on each new session cost more CPU than the
    command's own statements; the one listener below serves every watched session."""
    session.info[WATCHED] = True


@event.listens_for(Session, "after_flush")
def _record_if_watched(session: Session, flush: UOWTransaction) -> None:
    if session.info.get(WATCHED):
        record_flushed_changes(session, flush)


def record_login(session: ModelSession, username: str, succeeded: bool) -> None:
    action = AuditAction.LOGIN_SUCCEEDED if succeeded else AuditAction.LOGIN_FAILED
    append(session.connection(), [_event("user", username, action, None, None, actor=username)])


def record_role_denial(session: ModelSession, username: str, method: str, path: str) -> None:
    attempt = {"method": method, "path": path}
    denial = _event("request", path, AuditAction.ROLE_DENIED, None, attempt, actor=username)
    append(session.connection(), [denial])


def record_duty_refusal(
    session: ModelSession, username: str, method: str, path: str, rule: str
) -> None:
    """A user whose role allows the route was refused by a rule about this record (their own
    order, someone else's task, credit terms, their own write-off): the rule's words kept."""
    attempt = {"method": method, "path": path, "rule": rule}
    refusal = _event("request", path, AuditAction.DUTY_REFUSED, None, attempt, actor=username)
    append(session.connection(), [refusal])


def record_import(session: ModelSession, job_id: int, actor: str, summary: dict[str, Any]) -> None:
    """An import written: its kind, its file's name and SHA-256, what it created and changed
    (a changed record leaves its own row too; the records it created are counted here, not
    written a row each)."""
    event = _event("import_job", str(job_id), AuditAction.IMPORTED, None, summary, actor=actor)
    append(session.connection(), [event])
