"""Sales orders, their lines, approval decisions and the timeline of what happened."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Numeric
from sqlmodel import Field, SQLModel

from models.base import money_field, timestamp_field
from models.fields import Count, Line, Note
from models.fulfilment.policy import FulfilmentPolicy
from models.fulfilment.stock import quantity_column
from models.money import Amount, QuantityOut, RateOut
from models.sales.order_status import OrderStatus
from models.workflow_ids import order_workflow_id


class SalesOrder(SQLModel, table=True):
    __tablename__ = "sales_order"
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True, max_length=32)
    # The order's number in the old system, when it was imported (open orders at go-live).
    legacy_number: str | None = Field(default=None, index=True, unique=True, max_length=32)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    status: OrderStatus = Field(index=True)
    currency: str = Field(max_length=3)
    subtotal: Decimal = money_field()
    tax: Decimal = money_field()
    total: Decimal = money_field()
    requested_date: date | None = None
    order_date: date
    created_by: str
    created_at: datetime = timestamp_field()
    revision: int = 1
    fulfilment_policy: str = Field(
        default=FulfilmentPolicy.SHIP_PARTIAL,
        max_length=16,
        sa_column_kwargs={"server_default": FulfilmentPolicy.SHIP_PARTIAL.value},
    )

    @property
    def workflow_id(self) -> str:
        return order_workflow_id(self.id)


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_line"
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    line_no: int
    product_id: int = Field(foreign_key="product.id")
    sku: str = Field(max_length=64)
    description: str
    quantity: Decimal = Field(sa_column=quantity_column())
    unit_price: Decimal = money_field()
    list_price: Decimal = money_field()
    price_source: str = Field(default="product", max_length=40)
    discount_pct: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(7, 4)))
    tax_rate: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(6, 4)))
    net: Decimal = money_field()
    tax: Decimal = money_field()
    total: Decimal = money_field()
    shipped_quantity: Decimal = Field(default=Decimal(0), sa_column=quantity_column())
    # What a cancel after a partial shipment took off the line: never reserved or shipped again.
    cancelled_quantity: Decimal = Field(
        default=Decimal(0), sa_column=quantity_column(server_default="0")
    )


class Approval(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    revision: int = 1
    level: int = 1
    role: str = "approver"
    decision: str = Field(max_length=16)
    decided_by: str
    comment: str | None = None
    decided_at: datetime = timestamp_field()


class OrderRevision(SQLModel, table=True):
    """The order as it was before an amendment: header amounts and lines, kept as written."""

    __tablename__ = "order_revision"
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    revision: int
    status: str = Field(max_length=32)
    subtotal: Decimal = money_field()
    tax: Decimal = money_field()
    total: Decimal = money_field()
    lines: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    amended_by: str = Field(max_length=64)
    amended_at: datetime = timestamp_field()


class OrderEvent(SQLModel, table=True):
    """One line of an order's timeline: what happened, when, by whom, why."""

    __tablename__ = "order_event"
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    kind: str = Field(max_length=40)
    status: str | None = Field(default=None, max_length=32)
    actor: str = Field(default="system", max_length=64)
    detail: str | None = None
    key: str | None = Field(default=None, unique=True, max_length=160)
    at: datetime = timestamp_field()


class OrderLinePublic(SQLModel):
    line_no: int
    sku: str
    description: str
    quantity: QuantityOut
    unit_price: Amount
    list_price: Amount
    price_source: str
    discount_pct: RateOut
    tax_rate: RateOut
    net: Amount
    tax: Amount
    total: Amount
    shipped_quantity: QuantityOut


class ApprovalPublic(SQLModel):
    revision: int
    level: int
    role: str
    decision: str
    decided_by: str
    comment: str | None
    decided_at: datetime


class OrderEventPublic(SQLModel):
    kind: str
    status: str | None
    actor: str
    detail: str | None
    at: datetime


class OrderPublic(SQLModel):
    id: int
    number: str
    customer_id: int
    status: OrderStatus
    currency: str
    subtotal: Amount
    tax: Amount
    total: Amount
    requested_date: date | None
    order_date: date
    created_by: str
    created_at: datetime
    revision: int
    fulfilment_policy: FulfilmentPolicy = FulfilmentPolicy.SHIP_PARTIAL
    workflow_id: str
    lines: list[OrderLinePublic] = []


class ApproveRequest(SQLModel):
    comment: Note | None = Field(default=None, max_length=2000)
    level: Count | None = Field(default=None, ge=1, description="the level you decide, if you say")


class RejectRequest(SQLModel):
    reason: Line = Field(max_length=2000)
    level: Count | None = Field(default=None, ge=1)


class CancelRequest(SQLModel):
    reason: Line = Field(max_length=2000)


class ReleaseHoldRequest(SQLModel):
    comment: Note = Field(max_length=2000)


class OrderRevisionPublic(SQLModel):
    revision: int
    status: str
    subtotal: Amount
    tax: Amount
    total: Amount
    lines: list[dict[str, Any]]
    amended_by: str
    amended_at: datetime
