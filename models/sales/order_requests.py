"""What a client sends to enter or amend a sales order. Table-free: an amendment travels to
OrderWorkflow inside an Update."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Field, SQLModel

from models.fields import Code, Day, Id
from models.fulfilment.policy import FulfilmentPolicy
from models.money import Amount, DecimalStr, Quantity


class OrderLineCreate(SQLModel):
    sku: Code = Field(max_length=64)
    quantity: Quantity = Field(gt=0)
    unit_price: Amount | None = Field(default=None, ge=0)
    discount_pct: DecimalStr = Field(default=Decimal(0), ge=0, le=100)


class OrderCreate(SQLModel):
    customer_id: Id
    lines: list[OrderLineCreate] = Field(min_length=1, max_length=500)
    requested_date: Day | None = None
    fulfilment_policy: FulfilmentPolicy = FulfilmentPolicy.SHIP_PARTIAL


class OrderAmend(SQLModel):
    """The order's new lines (all of them) and, optionally, a new requested date."""

    lines: list[OrderLineCreate] = Field(min_length=1, max_length=500)
    requested_date: Day | None = None
