"""Payments received from customers and how they were allocated to invoices."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Field, SQLModel

from models.base import money_field, timestamp_field
from models.fields import Code, Day, Id, Line
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
    reversed_on: date | None = None
    reversal_reason: str | None = None


class PaymentAllocation(SQLModel, table=True):
    __tablename__ = "payment_allocation"
    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    amount: Decimal = money_field()
    allocated_on: date
    reversed_on: date | None = None


class AllocationRequest(SQLModel):
    invoice_id: Id
    amount: Amount = Field(gt=0)


class PaymentCreate(SQLModel):
    customer_id: Id
    amount: Amount = Field(gt=0)
    currency: Code | None = Field(
        default=None, min_length=3, max_length=3, description="default: the customer's"
    )
    received_on: Day
    reference: Line = Field(max_length=128)
    method: Line | None = Field(default=None, max_length=32)
    allocations: list[AllocationRequest] | None = None
    write_off_difference: bool = Field(
        default=False,
        description="write off what this payment leaves open on an invoice, within the tolerance",
    )


class PaymentReverse(SQLModel):
    reason: Line = Field(max_length=500)
    on: Day | None = Field(default=None, description="date of the bounce; default today")


class CreditApplication(SQLModel):
    """Apply the customer's unapplied credit (payments first, then credit notes, oldest first)."""

    invoice_id: Id
    amount: Amount | None = Field(default=None, gt=0, description="default: as much as fits")
    on: Day | None = None


class CreditApplied(SQLModel):
    customer_id: int
    invoice_id: int
    applied: Amount
    unapplied_credit: Amount


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
    written_off: list[AllocationPublic] = []
    reversed_on: date | None = None


class PreviewLine(SQLModel):
    invoice_id: int
    number: str
    due_date: date
    outstanding: Amount
    applied: Amount


class PaymentPreview(SQLModel):
    """A payment's allocation before it is recorded."""

    customer_id: int
    currency: str
    amount: Amount
    lines: list[PreviewLine]
    unapplied: Amount


class CustomerUnappliedCredit(SQLModel):
    """A customer with money not yet applied, and the invoices it could be applied to."""

    customer_id: int
    code: str
    name: str
    currency: str
    unapplied_credit: Amount
    open_invoices: list[PreviewLine]
