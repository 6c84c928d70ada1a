"""Reads of many rows at once: a list of keys as one parameter, and rows as the database driver
makes them (the monthly credit review reads a row for every customer; an import, a batch's
existing records)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    any_,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.sql import Executable


def among(connection: Connection, column: Any, keys: list[Any]) -> ColumnElement[bool]:
    """`column IN keys`, the keys as one parameter: on PostgreSQL `column = ANY(:keys)`, an
    array; on SQLite `column IN (SELECT value FROM json_each(:keys))`. `column`: a table's column
    or a model's attribute. An IN of a batch's 1,000 parameters was compiled again at each
    call: about 15 us a row on PostgreSQL (its driver), 3 us on SQLite, against 1 to 2 us this
    way."""
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam("keys", keys, type_=ARRAY(column.type)))
    listed = func.json_each(bindparam("keys", json.dumps(keys)))
    return column.in_(select(literal_column("value")).select_from(listed))


def driver_rows(
    conn: Connection, query: Executable, parameters: dict[str, Any] | None = None
) -> Sequence[Sequence[Any]]:
    """`query`'s rows (with these `parameters` if given): on PostgreSQL as psycopg made them,
    SQLAlchemy binding the parameters as always but its result layer (a `Row` and each column's
    conversion, value by value) skipped: 20,000 customers' ids, limits and creation times in
    19-24 ms where it took 47-150 ms. Only for columns whose driver values are what the caller
    reads: integers, amounts and sums (`Decimal`), dates, text; timestamps come in the server's
    time zone, enums as their names. Elsewhere the usual rows (SQLite keeps money in scaled
    integers: its column type converts)."""
    result = conn.execute(query, parameters)
    if conn.dialect.name != "postgresql":
        return result.all()
    try:
        rows: Sequence[Sequence[Any]] = result.cursor.fetchall()
        return rows
    finally:
        result.close()
