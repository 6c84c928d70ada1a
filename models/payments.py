"""Payments received from customers and how they were allocated to invoices."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Field, SQLModel

from models.base import money_field, timestamp_field
from models.money import Amount


class Payment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    amount: Decimal = money_field()
    unapplied: Decimal = money_field()
    currency: str = Field(max_length=3)
    received_on: date
    reference: str = Field(max_length=128)
    method: str | None = Field(default=None, max_length=32)
    created_by: str
    created_at: datetime = timestamp_field()


class PaymentAllocation(SQLModel, table=True):
    __tablename__ = "payment_allocation"
    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    amount: Decimal = money_field()
    allocated_on: date


class AllocationRequest(SQLModel):
    invoice_id: int
    amount: Amount = Field(gt=0)


class PaymentCreate(SQLModel):
    customer_id: int
    amount: Amount = Field(gt=0)
    received_on: date
    reference: str = Field(min_length=1, max_length=128)
    method: str | None = Field(default=None, max_length=32)
    allocations: list[AllocationRequest] | None = None


class AllocationPublic(SQLModel):
    invoice_id: int
    amount: Amount


class PaymentPublic(SQLModel):
    id: int
    customer_id: int
    amount: Amount
    currency: str
    received_on: date
    reference: str
    method: str | None
    allocations: list[AllocationPublic]
    unapplied: Amount
