"""Which data key each stored value is under, as an indexed SQL expression: the start-up check
(o2c/keys.py) walks the few distinct key ids of a column through its index, one seek per key id,
instead of reading every row, so it costs the same on a ten-row and a ten-million-row outbox.

`stored_key_id(column)` is the `<key id>` of a `v1:<key id>:...` value (what stands between
its first two colons: '' for most values that are not encrypted), NULL for NULL.
`index_key_ids(metadata)` gives every encrypted column an index on it
(`ix_<table>_<column>_key_id`); migration 0022 makes the same ones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Index, MetaData, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from models.security.field_cipher import EncryptedBytes, EncryptedText


class stored_key_id(FunctionElement[str]):  # noqa: N801 - an SQL function, named like one
    type = String()
    name = "stored_key_id"
    inherit_cache = True


# Literal SQL only: an expression index is used only by a query that spells it the same way.
# Plain function calls, no CASE, so that Alembic compares the index PostgreSQL reflects.
@compiles(stored_key_id, "postgresql")
def _on_postgresql(element: stored_key_id, compiler: SQLCompiler, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    return f"split_part({value}, ':', 2)"


@compiles(stored_key_id)
def _on_sqlite(element: stored_key_id, compiler: SQLCompiler, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    rest = f"substr({value}, instr({value}, ':') + 1)"
    return f"substr({rest}, 1, instr({rest}, ':') - 1)"


def encrypted_columns(metadata: MetaData) -> list[Column[Any]]:
    return [
        column
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText | EncryptedBytes)
    ]


def key_id_index_name(column: Column[Any]) -> str:
    return f"ix_{column.table.name}_{column.name}_key_id"


def index_key_ids(metadata: MetaData) -> None:
    """An index on the key id of every encrypted column (once; `create_all` makes them)."""
    for column in encrypted_columns(metadata):
        name = key_id_index_name(column)
        if not any(index.name == name for index in column.table.indexes):
            Index(name, stored_key_id(column))
