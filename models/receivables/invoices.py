"""Invoices: what a customer owes for an order, when it falls due, and what is still open."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Column, Index, Numeric, text
from sqlmodel import Field, SQLModel, col

from models.base import money_field, timestamp_field
from models.fulfilment.stock import quantity_column
from models.money import Amount, QuantityOut
from models.workflow_ids import invoice_workflow_id


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
    # Once nothing is owed: the day of its last payment allocation not reversed (None when
    # none paid it: credited or written off); None again when it reopens. The credit
    # behaviour's payment days read it (`activities/receivables/invoice_balance.py` keeps it).
    settled_on: date | None = None
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
        return invoice_workflow_id(self.id)


class InvoiceInstalment(SQLModel, table=True):
    """One due date of an invoice's payment terms (net N days is a single instalment)."""

    __tablename__ = "invoice_instalment"
    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    seq: int
    due_date: date = Field(index=True)
    amount: Decimal = money_field()
    outstanding: Decimal = money_field()


OPEN_INVOICE = "outstanding != 0"  # written out so SQLite matches queries to the partial index
# The ageing report reads only open invoices, in customer order: this index covers that read,
# so its cost follows the open items, not the whole invoice history.
OPEN_INVOICES_INDEX = Index(
    "ix_invoice_open",
    col(Invoice.customer_id),
    col(Invoice.currency),
    col(Invoice.due_date),
    col(Invoice.issue_date),
    col(Invoice.outstanding),
    sqlite_where=text(OPEN_INVOICE),
    postgresql_where=text(OPEN_INVOICE),
)


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
    id: int
    sku: str
    description: str
    quantity: QuantityOut
    unit_price: Amount
    net: Amount
    tax: Amount
    total: Amount


class InstalmentPublic(SQLModel):
    seq: int
    due_date: date
    amount: Amount
    outstanding: Amount


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
    instalments: list[InstalmentPublic] = []
