"""Shared column helpers for the SQLModel tables."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field

from models.columns import MoneyColumn, UTCDateTime


def money_field(default: Decimal | None = Decimal("0"), **kwargs: Any) -> Any:
    """A money column: exact on every database."""
    nullable = default is None
    return Field(default=default, sa_column=Column(MoneyColumn(), nullable=nullable), **kwargs)


def timestamp_field(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False), **kwargs)


def optional_timestamp_field() -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


def utcnow() -> datetime:
    return datetime.now(UTC)
