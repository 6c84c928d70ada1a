"""Stock: the ledger of moves (receipts, reservations, releases, issues, returns) per SKU and
warehouse, and the level row that sums it. The level is what concurrent reservations lock; its
CHECK constraints make a negative on hand, negative reservation or oversell impossible."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import optional_timestamp_field, timestamp_field
from models.fields import Code
from models.money import Quantity, QuantityOut

DEFAULT_WAREHOUSE = "MAIN"


def quantity_column(server_default: str | None = None) -> Column:  # type: ignore[type-arg]
    return Column(Numeric(18, 3), nullable=False, default=0, server_default=server_default)


class MoveKind(StrEnum):
    RECEIPT = "receipt"
    RESERVATION = "reservation"
    RELEASE = "release"
    ISSUE = "issue"
    RETURN = "return"


# How each move changes (on hand, reserved): an issue takes reserved goods out of the building.
MOVE_EFFECT: dict[MoveKind, tuple[int, int]] = {
    MoveKind.RECEIPT: (1, 0),
    MoveKind.RESERVATION: (0, 1),
    MoveKind.RELEASE: (0, -1),
    MoveKind.ISSUE: (-1, -1),
    MoveKind.RETURN: (1, 0),
}


class StockLevel(SQLModel, table=True):
    __tablename__ = "stocklevel"
    __table_args__ = (
        UniqueConstraint("sku", "warehouse"),
        CheckConstraint("on_hand >= 0", name="ck_stocklevel_on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="ck_stocklevel_reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="ck_stocklevel_no_oversell"),
    )
    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(index=True, max_length=64)
    warehouse: str = Field(default=DEFAULT_WAREHOUSE, max_length=32)
    on_hand: Decimal = Field(default=Decimal(0), sa_column=quantity_column())
    reserved: Decimal = Field(default=Decimal(0), sa_column=quantity_column())

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class StockMove(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(index=True, max_length=64)
    warehouse: str = Field(default=DEFAULT_WAREHOUSE, max_length=32)
    kind: MoveKind
    quantity: Decimal = Field(sa_column=quantity_column())
    order_id: int | None = Field(default=None, index=True)
    order_line_id: int | None = Field(default=None, index=True)
    shipment_id: int | None = Field(default=None, index=True)
    key: str | None = Field(default=None, unique=True, max_length=160)
    created_by: str | None = None
    created_at: datetime = timestamp_field()
    expires_at: datetime | None = optional_timestamp_field()


class StockReceipt(SQLModel):
    sku: Code = Field(max_length=64)
    quantity: Quantity = Field(gt=0)
    warehouse: Code = Field(default=DEFAULT_WAREHOUSE, max_length=32)


class StockPublic(SQLModel):
    sku: str
    warehouse: str
    on_hand: QuantityOut
    reserved: QuantityOut
    available: QuantityOut


class StockMovePublic(SQLModel):
    id: int
    sku: str
    warehouse: str
    kind: MoveKind
    quantity: QuantityOut
    order_id: int | None
    shipment_id: int | None
    created_by: str | None
    created_at: datetime
