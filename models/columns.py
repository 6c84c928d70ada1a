"""Column types: exact money on every database (scaled integers on SQLite, NUMERIC elsewhere),
timestamps in UTC, and the UTC day of one in SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine

SCALE = 4
_FACTOR = Decimal(10) ** SCALE


class MoneyColumn(TypeDecorator[Decimal]):
    """Stores Decimal exactly. SQLite has no exact numeric, so there it is an integer of 1/10000
    units; SUM() in SQL stays exact and comes back as Decimal through this type."""

    impl = Numeric(20, SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(20, SCALE, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = Decimal(value)
        if dialect.name == "sqlite":
            return int((value * _FACTOR).to_integral_value())
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / _FACTOR).quantize(Decimal(1).scaleb(-SCALE))
        return Decimal(value)

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps always come back timezone-aware in UTC, also from SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: o2c stores timestamps with their offset")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class utc_day(FunctionElement[date]):  # noqa: N801 - an SQL function, named like one
    """The day a timestamp column's instant falls on in UTC, in SQL: read as a `date`, not a
    timestamp the driver makes in the server's zone for Python to convert (the monthly credit
    review reads every customer's)."""

    type = Date()
    name = "utc_day"
    inherit_cache = True


@compiles(utc_day, "postgresql")
def _utc_day_on_postgresql(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(utc_day)
def _utc_day_on_sqlite(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"  # stored as UTC text
