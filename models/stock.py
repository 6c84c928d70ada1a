"""Stock: a level per SKU and warehouse, and the ledger of moves that changed it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Column, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import timestamp_field
from models.money import DecimalStr

DEFAULT_WAREHOUSE = "MAIN"


def quantity_column() -> Column:  # type: ignore[type-arg]
    return Column(Numeric(18, 3), nullable=False, default=0)


class MoveKind(StrEnum):
    RECEIPT = "receipt"
    RESERVATION = "reservation"
    RELEASE = "release"
    ISSUE = "issue"
    RETURN = "return"


class StockLevel(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("sku", "warehouse"),)
    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(index=True, max_length=64)
    warehouse: str = Field(default=DEFAULT_WAREHOUSE, max_length=32)
    on_hand: Decimal = Field(default=Decimal(0), sa_column=quantity_column())
    reserved: Decimal = Field(default=Decimal(0), sa_column=quantity_column())


class StockMove(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(index=True, max_length=64)
    warehouse: str = Field(default=DEFAULT_WAREHOUSE, max_length=32)
    kind: MoveKind
    quantity: Decimal = Field(sa_column=quantity_column())
    order_id: int | None = Field(default=None, index=True)
    key: str | None = Field(default=None, unique=True, max_length=160)
    created_by: str | None = None
    created_at: datetime = timestamp_field()


class StockReceipt(SQLModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: DecimalStr = Field(gt=0)
    warehouse: str = Field(default=DEFAULT_WAREHOUSE, min_length=1, max_length=32)


class StockPublic(SQLModel):
    sku: str
    warehouse: str
    on_hand: DecimalStr
    reserved: DecimalStr
    available: DecimalStr
