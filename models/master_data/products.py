"""Products and their list price and tax rate."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import field_validator
from sqlalchemy import Column, Numeric
from sqlmodel import Field, SQLModel

from models.base import money_field, timestamp_field
from models.fields import Code, Line
from models.money import Amount, DecimalStr, RateOut


class ProductBase(SQLModel):
    sku: str = Field(min_length=1, max_length=64, schema_extra={"pattern": r"^[A-Za-z0-9_.-]+$"})
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field(default="ea", max_length=16)
    whole_units: bool = True


class Product(ProductBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(index=True, unique=True, max_length=64)
    unit_price: Decimal = money_field()
    tax_rate: Decimal = Field(default=Decimal("0"), sa_column=Column(Numeric(6, 4), nullable=False))
    created_at: datetime = timestamp_field()


class ProductCreate(ProductBase):
    sku: Code = Field(max_length=64, schema_extra={"pattern": r"^[A-Z0-9_.-]+$"})
    name: Line = Field(max_length=200)
    unit: Line = Field(default="ea", max_length=16)
    unit_price: Amount = Field(ge=0)
    tax_rate: DecimalStr = Field(default=Decimal("0"), ge=0, le=1, decimal_places=4)


class ProductUpdate(SQLModel):
    name: Line | None = Field(default=None, max_length=200)
    unit: Line | None = Field(default=None, max_length=16)
    unit_price: Amount | None = Field(default=None, ge=0)
    tax_rate: DecimalStr | None = Field(default=None, ge=0, le=1, decimal_places=4)

    @field_validator("name", "unit", "unit_price", "tax_rate")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Leaving a field out keeps it; null would empty a column the product cannot be without.
        if value is None:
            raise ValueError("may not be null; leave the field out to keep its value")
        return value


class ProductPublic(ProductBase):
    id: int
    unit_price: Amount
    tax_rate: RateOut
