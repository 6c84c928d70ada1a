"""Invoices: issued for what was shipped, posted to the ledger and queued for e-mail at once."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from activities.customers import get_customer
from activities.ledger import post
from activities.numbering import next_number
from activities.orders import get_order, order_lines
from activities.paging import page
from activities.shipments import shipment_lines
from models.errors import NotFound
from models.invoices import Invoice, InvoiceLine, InvoiceLinePublic, InvoicePublic, InvoiceStatus
from models.ledger import Account, credit, debit
from models.money import ZERO
from models.outbox import OutboxMessage
from models.pricing import line_amounts, order_totals
from models.workflow_messages import InvoiceIssued, InvoicePosition, IssueInvoiceInput
from notifications.outbox import queue_email


def get_invoice(session: Session, invoice_id: int) -> Invoice:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound(f"invoice {invoice_id} does not exist", field="invoice_id")
    return invoice


def invoice_lines(session: Session, invoice_id: int) -> list[InvoiceLine]:
    query = select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id)
    return list(session.exec(query.order_by(col(InvoiceLine.id))).all())


def invoice_public(session: Session, invoice_id: int) -> InvoicePublic:
    return to_public(session, get_invoice(session, invoice_id))


def to_public(session: Session, invoice: Invoice) -> InvoicePublic:
    lines = [InvoiceLinePublic.model_validate(x) for x in invoice_lines(session, invoice.id or 0)]
    return InvoicePublic.model_validate(invoice, update={"lines": lines})


def _issued(invoice: Invoice, email_outbox_id: int | None) -> InvoiceIssued:
    return InvoiceIssued(
        invoice_id=invoice.id or 0,
        number=invoice.number,
        customer_id=invoice.customer_id,
        due_date=invoice.due_date,
        total=invoice.total,
        email_outbox_id=email_outbox_id,
    )


def issue_for_shipment(session: Session, data: IssueInvoiceInput, seller: str) -> InvoiceIssued:
    """Bill the shipment's quantities at the order's prices; once per shipment, whatever retries."""
    key = f"order-{data.order_id}/invoice/shipment-{data.shipment_id}"
    existing = session.exec(select(Invoice).where(Invoice.key == key)).first()
    if existing is not None:
        # A retry after the commit still hands back the mail, so it is delivered (once).
        mail = session.exec(
            select(OutboxMessage).where(OutboxMessage.key == f"invoice-{existing.id}/email/issued")
        ).first()
        return _issued(existing, mail.id if mail else None)
    order = get_order(session, data.order_id)
    customer = get_customer(session, order.customer_id)
    by_id = {line.id: line for line in order_lines(session, data.order_id)}
    lines: list[InvoiceLine] = []
    for shipped in shipment_lines(session, data.shipment_id):
        source = by_id[shipped.order_line_id]
        amounts = line_amounts(
            shipped.quantity,
            source.unit_price,
            source.discount_pct,
            source.tax_rate,
            order.currency,
        )
        lines.append(
            InvoiceLine(
                invoice_id=0,
                order_line_id=source.id,
                sku=source.sku,
                description=source.description,
                quantity=shipped.quantity,
                unit_price=source.unit_price,
                discount_pct=source.discount_pct,
                tax_rate=source.tax_rate,
                net=amounts.net,
                tax=amounts.tax,
                total=amounts.total,
            )
        )
    totals = order_totals(
        [line_amounts(x.quantity, x.unit_price, x.discount_pct, x.tax_rate) for x in lines]
    )
    invoice = Invoice(
        number=next_number(session, "INV", data.issue_date.year),
        order_id=order.id,
        customer_id=customer.id or 0,
        currency=order.currency,
        issue_date=data.issue_date,
        due_date=data.issue_date + timedelta(days=customer.payment_terms_days),
        subtotal=totals.net,
        tax=totals.tax,
        total=totals.total,
        outstanding=totals.total,
        paid=ZERO,
        credited=ZERO,
        written_off=ZERO,
        status=InvoiceStatus.OPEN,
        key=key,
    )
    session.add(invoice)
    session.flush()
    assert invoice.id is not None
    for line in lines:
        line.invoice_id = invoice.id
        session.add(line)
    post(
        session,
        key=f"invoice-{invoice.id}/issue",
        posted_on=invoice.issue_date,
        document="invoice",
        document_id=invoice.id,
        customer_id=invoice.customer_id,
        lines=[
            debit(Account.RECEIVABLES, invoice.total, invoice.id),
            credit(Account.REVENUE, invoice.subtotal),
            credit(Account.TAX_PAYABLE, invoice.tax),
        ],
        memo=invoice.number,
    )
    mail = queue_email(
        session,
        key=f"invoice-{invoice.id}/email/issued",
        to=customer.email,
        template="invoice_issued",
        language=customer.language,
        context={
            "company": seller,
            "customer": customer,
            "invoice": invoice,
            "order_number": order.number,
            "lines": lines,
        },
    )
    return _issued(invoice, mail.id)


def position(session: Session, invoice_id: int) -> InvoicePosition:
    invoice = get_invoice(session, invoice_id)
    return InvoicePosition(
        invoice_id=invoice_id, outstanding=invoice.outstanding, status=invoice.status
    )


def mark_overdue(session: Session, invoice_id: int) -> InvoicePosition:
    invoice = get_invoice(session, invoice_id)
    if invoice.outstanding > 0 and invoice.status in (
        InvoiceStatus.OPEN,
        InvoiceStatus.PARTIALLY_PAID,
    ):
        invoice.status = InvoiceStatus.OVERDUE
        session.add(invoice)
    return position(session, invoice_id)


def list_invoices(
    session: Session,
    limit: int,
    offset: int,
    customer_id: int | None = None,
    status: InvoiceStatus | None = None,
    overdue: bool | None = None,
) -> tuple[list[InvoicePublic], int]:
    query = select(Invoice).order_by(col(Invoice.id).desc())
    if customer_id:
        query = query.where(Invoice.customer_id == customer_id)
    if status:
        query = query.where(Invoice.status == status)
    if overdue is not None:
        overdue_cond = col(Invoice.status) == InvoiceStatus.OVERDUE
        query = query.where(overdue_cond if overdue else ~overdue_cond)
    rows, total = page(session, query, limit, offset)
    return [to_public(session, i) for i in rows], total
