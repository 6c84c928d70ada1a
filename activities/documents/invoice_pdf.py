"""Printable documents: gathers what an invoice PDF shows in one read; the PDF is rendered outside
the transaction (about a second; a database connection should not wait for it) and kept per
version (stored_documents)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from activities.master_data.customers import get_customer
from activities.receivables.invoices import get_invoice, invoice_lines
from models.sales.orders import SalesOrder
from notifications.pdf import render_html

PDF = "application/pdf"


@dataclass(frozen=True)
class Document:
    """A rendered file: what a download or a mail attachment carries."""

    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class DocumentSource:
    """Everything a template needs, read in one transaction."""

    template: str
    filename: str
    language: str
    context: dict[str, Any]


def invoice_source(session: Session, invoice_id: int, seller: str) -> DocumentSource:
    invoice = get_invoice(session, invoice_id)
    customer = get_customer(session, invoice.customer_id)
    order = session.get(SalesOrder, invoice.order_id) if invoice.order_id else None
    # One due date per invoice today; instalment plans add rows here with their own dates.
    due_dates = [{"due_date": invoice.due_date, "amount": invoice.outstanding}]
    return DocumentSource(
        template="invoice.html.j2",
        filename=f"{invoice.number}.pdf",
        language=customer.language,
        context={
            "currency": invoice.currency,
            "seller": {"name": seller, "address": None},
            "customer": customer.model_dump(),
            "invoice": invoice.model_dump(),
            "order_number": order.number if order else None,
            "lines": [line.model_dump() for line in invoice_lines(session, invoice_id)],
            "due_dates": due_dates,
        },
    )


def html_of(source: DocumentSource) -> str:
    """What the document shows, as the HTML its PDF is made from."""
    return render_html(source.template, source.language, source.context)


def attachment_source(session: Session, spec: dict[str, Any], seller: str) -> DocumentSource:
    """The document an outbox mail names in its payload's `attachments`."""
    if spec.get("document") == "invoice":
        return invoice_source(session, int(spec["id"]), seller)
    raise ValueError(f"unknown attachment {spec!r}")
