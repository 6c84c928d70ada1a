"""Returns of delivered goods: what came back from which shipment. Each return waits for
invoicing to credit it (`awaiting_credit_note`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import timestamp_field
from models.fields import Code, Line
from models.fulfilment.stock import quantity_column
from models.money import Quantity, QuantityOut


class ReturnStatus(StrEnum):
    AWAITING_CREDIT_NOTE = "awaiting_credit_note"
    CREDITED = "credited"


class GoodsReturn(SQLModel, table=True):
    __tablename__ = "goods_return"
    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipment.id", index=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    status: str = Field(default=ReturnStatus.AWAITING_CREDIT_NOTE, max_length=32, index=True)
    reason: str | None = None
    created_by: str = Field(max_length=64)
    created_at: datetime = timestamp_field()


class GoodsReturnLine(SQLModel, table=True):
    __tablename__ = "goods_return_line"
    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="goods_return.id", index=True)
    order_line_id: int = Field(foreign_key="order_line.id", index=True)
    sku: str = Field(max_length=64)
    quantity: Decimal = Field(sa_column=quantity_column())


class ReturnLineCreate(SQLModel):
    sku: Code = Field(max_length=64)
    quantity: Quantity = Field(gt=0)


class ReturnCreate(SQLModel):
    lines: list[ReturnLineCreate] = Field(min_length=1, max_length=500)
    reason: Line | None = Field(default=None, max_length=2000)


class ReturnLinePublic(SQLModel):
    sku: str
    quantity: QuantityOut
    order_line_id: int


class ReturnPublic(SQLModel):
    id: int
    shipment_id: int
    order_id: int
    status: ReturnStatus
    reason: str | None
    created_by: str
    created_at: datetime
    lines: list[ReturnLinePublic] = []
