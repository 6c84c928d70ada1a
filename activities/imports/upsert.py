"""Master-data rows written a batch at a time: a row whose key is new is created, one whose key
exists updates what the file gives and differs, and the change is reported by key and field.

One query finds the batch's existing rows, one INSERT writes the new ones, one UPDATE per set of
changed columns the changed ones. The column types encrypt what is personal, as on every write;
`derived` sets the columns computed from others (a customer's blind indexes) to what the ORM's
write sets them to.

The audit trail: each changed row leaves its own `updated` row, with the masked before and
after the master-data use case's flush would leave (activities/security/audit_trail.py), all
appended in one call. The rows an import creates are recorded by the import's one `imported`
event (the user, the kind, the file's name and SHA-256, the counts: activities/imports/jobs.py),
not one row each: at go-live that is every row of the file, and a row each cost as much again as
writing the rows themselves (docs/go-live.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Connection, Table, bindparam, select
from sqlmodel import Session, SQLModel

from activities.bulk_reads import among
from activities.imports.kind import Written
from activities.imports.row_checks import changed_fields
from activities.security.audit_trail import BulkWrite, record_bulk_writes

R = TypeVar("R", bound=BaseModel)


def _nothing_derived(_values: Mapping[str, Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class MasterData:
    """A master-data table as an import writes it: the table model, its natural key (code,
    SKU), what a file may change, and the columns computed from the others on every write."""

    model: type[SQLModel]
    key: str
    updatable: frozenset[str]
    derived: Callable[[Mapping[str, Any]], dict[str, Any]] = field(default=_nothing_derived)

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[attr-defined,no-any-return]

    def defaults(self, row: type[BaseModel]) -> dict[str, Any]:
        """The table model's defaults (created_at) for what a row of this type does not give,
        worked out once for a batch: its rows are created in one transaction, at one time."""
        return {
            name: self.model.model_fields[name].get_default(call_default_factory=True)
            for name in _defaulted(self.model, row)
        }

    def new_row(self, row: BaseModel, defaults: Mapping[str, Any]) -> dict[str, Any]:
        """The row's columns as the table model would hold them: what the file gave, the
        model's defaults for the rest, and the derived columns."""
        values = {**defaults, **row.model_dump()}
        values.update(self.derived(values))
        return values


@cache
def _defaulted(model: type[SQLModel], row: type[BaseModel]) -> tuple[str, ...]:
    """The table model's fields a row of this type does not give (but the id the INSERT sets)."""
    return tuple(
        name for name in model.model_fields if name not in row.model_fields and name != "id"
    )


def create_or_update(
    session: Session, batch: list[tuple[R, frozenset[str]]], master: MasterData
) -> Written:
    connection = session.connection()
    table = master.table
    key_column = table.c[master.key]
    keys = [getattr(row, master.key) for row, _ in batch]
    existing = {
        getattr(found, master.key): found
        for found in connection.execute(select(table).where(among(connection, key_column, keys)))
    }
    written = Written()
    defaults = master.defaults(type(batch[0][0])) if batch else {}
    created: list[dict[str, Any]] = []
    # In the file's order, so the audit trail lists them as row-by-row writes would.
    updates: list[tuple[Mapping[str, Any], dict[str, Any]]] = []
    for row, given in batch:
        key = getattr(row, master.key)
        found = existing.get(key)
        if found is None:
            created.append(master.new_row(row, defaults))
            continue
        changed = changed_fields(found, row, given & master.updatable)
        if not changed:
            written.unchanged += 1
            continue
        updates.append((dict(found._mapping), changed))
        written.changes.append({"key": key, "changed": sorted(changed)})
    written.created = len(created)
    written.updated = len(updates)
    if created:
        connection.execute(table.insert(), created)
    _update(connection, master, updates)
    writes = [BulkWrite(before["id"], changed, before) for before, changed in updates]
    record_bulk_writes(session, master.model, writes)
    return written


def _update(
    connection: Connection,
    master: MasterData,
    updates: list[tuple[Mapping[str, Any], dict[str, Any]]],
) -> None:
    """The changed rows, one executemany per set of changed columns."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for before, changed in updates:
        values = {**changed, **master.derived({**before, **changed})}
        by_columns.setdefault(tuple(sorted(values)), []).append({"row_id": before["id"], **values})
    table = master.table
    statement = table.update().where(table.c.id == bindparam("row_id"))
    for rows in by_columns.values():
        connection.execute(statement, rows)
