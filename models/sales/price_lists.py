"""Price lists: a default list, lists per credit class and per customer; each item a price for a
SKU from a quantity on, valid for a period. Which price applies is decided in
models/sales/pricing.py."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from models.base import money_field, timestamp_field
from models.fields import Code, Day, Id, Line
from models.fulfilment.stock import quantity_column
from models.money import Amount, DecimalStr, QuantityOut


class Audience(StrEnum):
    """Who a list prices for; the more specific audience wins (customer > class > default)."""

    CUSTOMER = "customer"
    CREDIT_CLASS = "credit_class"
    DEFAULT = "default"


class PriceList(SQLModel, table=True):
    __tablename__ = "price_list"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    audience: Audience = Field(index=True)
    credit_class: str | None = Field(default=None, max_length=32)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    created_at: datetime = timestamp_field()


class PriceListItem(SQLModel, table=True):
    __tablename__ = "price_list_item"
    id: int | None = Field(default=None, primary_key=True)
    price_list_id: int = Field(foreign_key="price_list.id", index=True)
    sku: str = Field(index=True, max_length=64)
    min_quantity: Decimal = Field(default=Decimal(1), sa_column=quantity_column())
    unit_price: Decimal = money_field()
    valid_from: date
    valid_to: date | None = None


class PriceItemCreate(SQLModel):
    sku: Code = Field(max_length=64)
    unit_price: Amount = Field(ge=0)
    min_quantity: DecimalStr = Field(default=Decimal(1), gt=0)
    valid_from: Day
    valid_to: Day | None = None

    @model_validator(mode="after")
    def _period_runs_forward(self) -> PriceItemCreate:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class PriceListCreate(SQLModel):
    name: Line = Field(max_length=100)
    audience: Audience
    credit_class: Line | None = Field(default=None, max_length=32)
    customer_id: Id | None = None
    items: list[PriceItemCreate] = Field(default=[], max_length=1000)

    @model_validator(mode="after")
    def _audience_is_named(self) -> PriceListCreate:
        named = {
            Audience.DEFAULT: self.credit_class is None and self.customer_id is None,
            Audience.CREDIT_CLASS: self.credit_class is not None and self.customer_id is None,
            Audience.CUSTOMER: self.customer_id is not None and self.credit_class is None,
        }
        if not named[self.audience]:
            raise ValueError(
                "a default list names no audience, a credit_class list only credit_class, "
                "a customer list only customer_id"
            )
        return self


class PriceItemPublic(SQLModel):
    id: int
    sku: str
    unit_price: Amount
    min_quantity: QuantityOut
    valid_from: date
    valid_to: date | None


class PriceListPublic(SQLModel):
    id: int
    name: str
    audience: Audience
    credit_class: str | None
    customer_id: int | None
    items: list[PriceItemPublic] = []
