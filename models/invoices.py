"""Invoices: what a customer owes for an order, when it falls due, and what is still open."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Column, Numeric
from sqlmodel import Field, SQLModel

from models.base import money_field, timestamp_field
from models.money import Amount, DecimalStr
from models.stock import quantity_column


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    DISPUTED = "disputed"
    WRITTEN_OFF = "written_off"
    VOID = "void"


class InvoiceKind(StrEnum):
    """An invoice for goods, or a dunning charge (fee, interest) that stays owed on its own."""

    INVOICE = "invoice"
    FEE = "fee"
    INTEREST = "interest"


class Invoice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=32)
    order_id: int | None = Field(default=None, foreign_key="sales_order.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    currency: str = Field(max_length=3)
    issue_date: date = Field(index=True)
    due_date: date = Field(index=True)
    subtotal: Decimal = money_field()
    tax: Decimal = money_field()
    total: Decimal = money_field()
    paid: Decimal = money_field()
    credited: Decimal = money_field()
    written_off: Decimal = money_field()
    outstanding: Decimal = money_field()
    status: InvoiceStatus = Field(default=InvoiceStatus.OPEN, index=True)
    dunning_level: int = 0
    kind: InvoiceKind = Field(default=InvoiceKind.INVOICE, max_length=16)
    parent_invoice_id: int | None = Field(default=None, foreign_key="invoice.id", index=True)
    key: str = Field(unique=True, max_length=160)
    created_at: datetime = timestamp_field()

    def refresh_outstanding(self) -> None:
        """Outstanding and status follow from the amounts; called after every posting."""
        self.outstanding = self.total - self.paid - self.credited - self.written_off
        if self.status in (InvoiceStatus.VOID, InvoiceStatus.DISPUTED):
            return
        if self.outstanding > 0 and self.status == InvoiceStatus.OVERDUE:
            return
        if self.outstanding <= 0:
            only_written_off = self.written_off > 0 and self.paid == 0
            self.status = InvoiceStatus.WRITTEN_OFF if only_written_off else InvoiceStatus.PAID
        elif self.paid > 0 or self.credited > 0:
            self.status = InvoiceStatus.PARTIALLY_PAID
        else:
            self.status = InvoiceStatus.OPEN

    @property
    def workflow_id(self) -> str:
        return f"invoice-{self.id}"


class InvoiceLine(SQLModel, table=True):
    __tablename__ = "invoice_line"
    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    order_line_id: int | None = Field(default=None, foreign_key="order_line.id")
    sku: str = Field(max_length=64)
    description: str
    quantity: Decimal = Field(sa_column=quantity_column())
    unit_price: Decimal = money_field()
    discount_pct: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(7, 4)))
    tax_rate: Decimal = Field(default=Decimal(0), sa_column=Column(Numeric(6, 4)))
    net: Decimal = money_field()
    tax: Decimal = money_field()
    total: Decimal = money_field()


class InvoiceLinePublic(SQLModel):
    sku: str
    description: str
    quantity: DecimalStr
    unit_price: Amount
    net: Amount
    tax: Amount
    total: Amount


class InvoicePublic(SQLModel):
    id: int
    number: str
    order_id: int | None
    customer_id: int
    currency: str
    issue_date: date
    due_date: date
    subtotal: Amount
    tax: Amount
    total: Amount
    paid: Amount
    credited: Amount
    written_off: Amount
    outstanding: Amount
    status: InvoiceStatus
    dunning_level: int
    kind: InvoiceKind = InvoiceKind.INVOICE
    parent_invoice_id: int | None = None
    lines: list[InvoiceLinePublic] = []
