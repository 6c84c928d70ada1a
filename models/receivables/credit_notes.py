"""Credit notes: money taken off one invoice, by amount or by lines; what exceeds the invoice's
outstanding becomes the customer's unapplied credit."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from models.base import money_field, timestamp_field
from models.fields import Day, Id, Line
from models.fulfilment.stock import quantity_column
from models.money import Amount, Quantity


class CreditNote(SQLModel, table=True):
    __tablename__ = "credit_note"
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=32)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    currency: str = Field(max_length=3)
    issue_date: date = Field(index=True)
    subtotal: Decimal = money_field()
    tax: Decimal = money_field()
    total: Decimal = money_field()
    unapplied: Decimal = money_field()
    reason: str
    key: str = Field(unique=True, max_length=160)
    created_by: str = Field(default="system", max_length=64)
    created_at: datetime = timestamp_field()


class CreditNoteLine(SQLModel, table=True):
    __tablename__ = "credit_note_line"
    id: int | None = Field(default=None, primary_key=True)
    credit_note_id: int = Field(foreign_key="credit_note.id", index=True)
    invoice_line_id: int = Field(foreign_key="invoice_line.id", index=True)
    quantity: Decimal = Field(sa_column=quantity_column())
    net: Decimal = money_field()
    tax: Decimal = money_field()
    total: Decimal = money_field()


class CreditNoteAllocation(SQLModel, table=True):
    """Credit applied to an invoice: its own at issue, another later from unapplied credit."""

    __tablename__ = "credit_note_allocation"
    id: int | None = Field(default=None, primary_key=True)
    credit_note_id: int = Field(foreign_key="credit_note.id", index=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    amount: Decimal = money_field()
    allocated_on: date


class CreditLineRequest(SQLModel):
    invoice_line_id: Id
    quantity: Quantity = Field(gt=0)


class CreditNoteCreate(SQLModel):
    """By amount (tax included, split in the invoice's proportion) or by invoice lines."""

    amount: Amount | None = Field(default=None, gt=0)
    lines: list[CreditLineRequest] | None = Field(default=None, min_length=1)
    reason: Line = Field(max_length=500)
    issue_date: Day | None = None

    @model_validator(mode="after")
    def _amount_or_lines(self) -> CreditNoteCreate:
        if (self.amount is None) == (self.lines is None):
            raise ValueError('give either "amount" or "lines"')
        return self


class CreditNotePublic(SQLModel):
    id: int
    number: str
    invoice_id: int
    customer_id: int
    currency: str
    issue_date: date
    subtotal: Amount
    tax: Amount
    total: Amount
    applied: Amount
    unapplied: Amount
    reason: str
