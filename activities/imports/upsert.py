"""Master-data rows written a batch at a time: a row whose key is new is created, one whose key
exists updates what the file gives and differs, and the change is reported by key and field.

One query finds the batch's existing rows, one INSERT writes the new ones, one UPDATE per set of
changed columns the changed ones, and one append to the audit trail records them all, each as
the master-data use case's flush would (activities/security/audit_trail.py). The column types
encrypt what is personal, as on every write; `derived` sets the columns computed from others
(a customer's blind indexes), by the same function the ORM's write uses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Connection, Table, bindparam, select
from sqlmodel import Session, SQLModel

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
        for found in connection.execute(select(table).where(key_column.in_(keys)))
    }
    written = Written()
    defaults = master.defaults(type(batch[0][0])) if batch else {}
    created: dict[str, dict[str, Any]] = {}
    # In the file's order, so the audit trail lists them as row-by-row writes would.
    planned: list[tuple[str, Mapping[str, Any] | None, dict[str, Any]]] = []
    for row, given in batch:
        key = getattr(row, master.key)
        found = existing.get(key)
        if found is None:
            created[key] = master.new_row(row, defaults)
            planned.append((key, None, created[key]))
            continue
        changed = changed_fields(found, row, given & master.updatable)
        if not changed:
            written.unchanged += 1
            continue
        planned.append((key, dict(found._mapping), changed))
        written.changes.append({"key": key, "changed": sorted(changed)})
    written.created = len(created)
    written.updated = len(planned) - len(created)
    ids = _insert(connection, master, created)
    _update(
        connection,
        master,
        [(before, changed) for _, before, changed in planned if before is not None],
    )
    writes = [
        BulkWrite(ids[key], {**values, "id": ids[key]})
        if before is None
        else BulkWrite(before["id"], values, before)
        for key, before, values in planned
    ]
    record_bulk_writes(session, master.model, writes)
    return written


def _insert(
    connection: Connection, master: MasterData, created: dict[str, dict[str, Any]]
) -> dict[str, int]:
    """The new rows in one executemany, then their ids by key (RETURNING with the rows' order
    kept would make SQLite insert one row at a time)."""
    if not created:
        return {}
    table = master.table
    connection.execute(table.insert(), list(created.values()))
    key_column = table.c[master.key]
    numbered = select(key_column, table.c.id).where(key_column.in_(list(created)))
    return {key: id_ for key, id_ in connection.execute(numbered)}


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
