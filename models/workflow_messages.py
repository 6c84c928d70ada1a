"""Inputs and outputs of workflows, their messages and activities: plain pydantic values that
the pydantic data converter carries exactly (Decimal, date, datetime)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel


class OrderInput(BaseModel):
    order_id: int
    customer_id: int
    total: Decimal
    status: str = "pending_approval"  # as the entry's credit gate left it


class OrderResult(BaseModel):
    order_id: int
    status: str


class StatusChangeInput(BaseModel):
    order_id: int
    status: str
    kind: str
    at: datetime
    actor: str = "system"
    detail: str | None = None


class CreditCheckInput(BaseModel):
    order_id: int
    at: datetime


class CreditCheckResult(BaseModel):
    passed: bool
    exposure: Decimal
    credit_limit: Decimal
    reasons: list[str] = []


class Decision(BaseModel):
    """An approver's answer, carried by the approve/reject Update."""

    user: str
    roles: list[str] = []
    comment: str | None = None


class DecisionInput(BaseModel):
    order_id: int
    level: int
    approved: bool
    user: str
    comment: str | None
    at: datetime


class ReleaseInput(BaseModel):
    user: str
    comment: str


class ReserveStockInput(BaseModel):
    order_id: int
    at: datetime


class ReservationResult(BaseModel):
    complete: bool
    shortages: list[str] = []


class PlanShipmentInput(BaseModel):
    order_id: int
    at: datetime


class ShipmentInput(BaseModel):
    shipment_id: int
    order_id: int


class ShipmentEvent(BaseModel):
    """Dispatch, tracking or delivery of a shipment; idempotent by event_id."""

    event_id: str
    shipment_id: int
    kind: str
    at: datetime
    detail: str | None = None


class IssueInvoiceInput(BaseModel):
    """Bill a shipment's quantities, or (no shipment) the order's ordered quantities."""

    order_id: int
    shipment_id: int | None = None
    issue_date: date


class OrderRef(BaseModel):
    order_id: int


class CreditOrderInput(BaseModel):
    """Credit the invoices of an order that was cancelled after it was billed."""

    order_id: int
    at: datetime


class WriteOffDecision(BaseModel):
    """A finance approver's answer to a write-off waiting for approval (Update on collection)."""

    write_off_id: int
    invoice_id: int
    requested_by: str
    user: str
    roles: list[str] = []
    approve: bool = True
    comment: str | None = None
    at: datetime | None = None


class InvoiceIssued(BaseModel):
    invoice_id: int
    number: str
    customer_id: int
    due_date: date
    total: Decimal
    email_outbox_id: int | None


class DeliverEmailInput(BaseModel):
    outbox_id: int


class InvoiceCollectionInput(BaseModel):
    invoice_id: int
    customer_id: int
    due_date: date
    outstanding: Decimal


class InvoiceSettlement(BaseModel):
    """Tells an invoice's collection workflow that a payment, credit note, write-off or reversal
    changed what is open; the workflow reads the new position from the database."""

    event_id: str
    invoice_id: int


class InvoiceRef(BaseModel):
    invoice_id: int
    at: datetime


class InvoicePosition(BaseModel):
    invoice_id: int
    outstanding: Decimal
    status: str


class CollectionResult(BaseModel):
    invoice_id: int
    outcome: str
