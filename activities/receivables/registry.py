"""Receivables' Temporal activities (issue an invoice, read the invoice policy and an invoice's
position, mark it overdue, credit a cancelled order, decide a write-off): each runs one use case
in its own transaction. Workflows call them by method; the names never change (histories)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from temporalio import activity

from activities.receivables import credit_notes, invoices, write_offs
from activities.transaction import run_command
from models.sales.messages import (
    CreditOrderInput,
    InvoiceIssued,
    InvoicePosition,
    InvoiceRef,
    IssueInvoiceInput,
    OrderRef,
    WriteOffDecision,
)


class ReceivablesActivities:
    def __init__(self, engine: Engine, *, seller: str) -> None:
        self.engine = engine
        self.seller = seller

    @activity.defn(name="issue_invoice")
    def issue_invoice(self, data: IssueInvoiceInput) -> InvoiceIssued:
        return run_command(self.engine, invoices.issue_order_invoice, data, self.seller)

    @activity.defn(name="invoice_policy")
    def invoice_policy(self, data: OrderRef) -> str:
        return str(run_command(self.engine, invoices.invoice_policy, data.order_id))

    @activity.defn(name="credit_cancelled_order")
    def credit_cancelled_order(self, data: CreditOrderInput) -> int:
        """How many credit notes the cancelled order's invoices received."""
        notes = run_command(
            self.engine, credit_notes.credit_cancelled_order, data.order_id, data.at.date()
        )
        return len(notes)

    @activity.defn(name="decide_write_off")
    def decide_write_off(self, data: WriteOffDecision) -> str:
        return str(run_command(self.engine, write_offs.decide_write_off, data).state)

    @activity.defn(name="invoice_position")
    def invoice_position(self, data: InvoiceRef) -> InvoicePosition:
        return run_command(self.engine, invoices.position, data.invoice_id)

    @activity.defn(name="mark_invoice_overdue")
    def mark_invoice_overdue(self, data: InvoiceRef) -> InvoicePosition:
        return run_command(self.engine, invoices.mark_overdue, data.invoice_id, data.at.date())

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.issue_invoice,
            self.invoice_policy,
            self.decide_write_off,
            self.credit_cancelled_order,
            self.invoice_position,
            self.mark_invoice_overdue,
        ]
