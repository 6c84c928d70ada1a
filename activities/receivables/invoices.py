"""Invoices: issued for what shipped (or was ordered, per the customer's invoice policy), with
due dates from the payment terms, posted to the ledger and queued for e-mail, all at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.fulfilment.shipments import shipment_lines
from activities.master_data.customers import get_customer
from activities.numbering import next_number
from activities.paging import page
from activities.receivables.invoice_balance import instalments_of, lock_invoice
from activities.receivables.ledger import post
from activities.sales.orders import get_order, order_lines
from models.errors import InvalidInput, NotFound
from models.master_data.customers import Customer
from models.money import ZERO
from models.receivables.instalments import net_terms, parse_plan, split
from models.receivables.invoices import (
    InstalmentPublic,
    Invoice,
    InvoiceInstalment,
    InvoiceLine,
    InvoiceLinePublic,
    InvoicePublic,
    InvoiceStatus,
)
from models.receivables.ledger import Account, credit, debit
from models.receivables.policies import InvoicePolicy
from models.sales.messages import InvoiceIssued, InvoicePosition, IssueInvoiceInput
from models.sales.pricing import line_amounts, order_totals
from notifications.outbox import queue_email


@dataclass(frozen=True)
class BillLine:
    """A quantity to bill at a price, discount and tax rate (from an order line)."""

    sku: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal = ZERO
    tax_rate: Decimal = ZERO
    order_line_id: int | None = None


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
    instalments = [
        InstalmentPublic.model_validate(x) for x in instalments_of(session, invoice.id or 0)
    ]
    return InvoicePublic.model_validate(
        invoice, update={"lines": lines, "instalments": instalments}
    )


def _issued(invoice: Invoice, email_outbox_id: int | None) -> InvoiceIssued:
    return InvoiceIssued(
        invoice_id=invoice.id or 0,
        number=invoice.number,
        customer_id=invoice.customer_id,
        due_date=invoice.due_date,
        total=invoice.total,
        email_outbox_id=email_outbox_id,
    )


def invoice_policy(session: Session, order_id: int) -> InvoicePolicy:
    order = get_order(session, order_id)
    return InvoicePolicy(get_customer(session, order.customer_id).invoice_policy)


def issue_invoice(
    session: Session,
    *,
    customer: Customer,
    currency: str,
    lines: list[BillLine],
    issue_date: date,
    key: str,
    order_id: int | None = None,
) -> tuple[Invoice, bool]:
    """The invoice for these lines, once per key; True when it was issued just now. Its number
    comes from the gapless INV sequence, its due dates from the customer's payment terms."""
    existing = session.exec(select(Invoice).where(Invoice.key == key)).first()
    if existing is not None:
        return existing, False
    if not lines:
        raise InvalidInput("an invoice needs at least one line")
    amounts = [
        line_amounts(x.quantity, x.unit_price, x.discount_pct, x.tax_rate, currency) for x in lines
    ]
    totals = order_totals(amounts)
    terms = (
        parse_plan(customer.instalment_plan)
        if customer.instalment_plan
        else net_terms(customer.payment_terms_days)
    )
    dues = split(totals.total, terms, issue_date, currency)
    invoice = Invoice(
        number=next_number(session, "INV", issue_date.year),
        order_id=order_id,
        customer_id=customer.id or 0,
        currency=currency,
        issue_date=issue_date,
        due_date=dues[0].due_date,
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
    for line, amount in zip(lines, amounts, strict=True):
        session.add(
            InvoiceLine(
                invoice_id=invoice.id,
                order_line_id=line.order_line_id,
                sku=line.sku,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_pct=line.discount_pct,
                tax_rate=line.tax_rate,
                net=amount.net,
                tax=amount.tax,
                total=amount.total,
            )
        )
    for due in dues:
        session.add(
            InvoiceInstalment(
                invoice_id=invoice.id,
                seq=due.seq,
                due_date=due.due_date,
                amount=due.amount,
                outstanding=due.amount,
            )
        )
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
    session.flush()
    return invoice, True


def issue_for_shipment(session: Session, data: IssueInvoiceInput, seller: str) -> InvoiceIssued:
    """Bill the shipment's quantities at the order's prices; once per shipment, whatever retries."""
    assert data.shipment_id is not None
    order = get_order(session, data.order_id)
    by_id = {line.id: line for line in order_lines(session, data.order_id)}
    lines = []
    for shipped in shipment_lines(session, data.shipment_id):
        source = by_id[shipped.order_line_id]
        lines.append(
            BillLine(
                sku=source.sku,
                description=source.description,
                quantity=shipped.quantity,
                unit_price=source.unit_price,
                discount_pct=source.discount_pct,
                tax_rate=source.tax_rate,
                order_line_id=source.id,
            )
        )
    key = f"order-{data.order_id}/invoice/shipment-{data.shipment_id}"
    return _issue_for(session, order.id or 0, lines, data.issue_date, key, seller)


def issue_for_order(session: Session, data: IssueInvoiceInput, seller: str) -> InvoiceIssued:
    """Bill the ordered quantities (invoice policy on_order); once per order."""
    lines = [
        BillLine(
            sku=x.sku,
            description=x.description,
            quantity=x.quantity,
            unit_price=x.unit_price,
            discount_pct=x.discount_pct,
            tax_rate=x.tax_rate,
            order_line_id=x.id,
        )
        for x in order_lines(session, data.order_id)
    ]
    key = f"order-{data.order_id}/invoice/order"
    return _issue_for(session, data.order_id, lines, data.issue_date, key, seller)


def _issue_for(
    session: Session, order_id: int, lines: list[BillLine], on: date, key: str, seller: str
) -> InvoiceIssued:
    order = get_order(session, order_id)
    customer = get_customer(session, order.customer_id)
    invoice, _ = issue_invoice(
        session,
        customer=customer,
        currency=order.currency,
        lines=lines,
        issue_date=on,
        key=key,
        order_id=order_id,
    )
    # Queued once per invoice; a retry after the commit gets the same mail back, so it is sent.
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
            "lines": invoice_lines(session, invoice.id or 0),
        },
    )
    return _issued(invoice, mail.id)


def issue_order_invoice(session: Session, data: IssueInvoiceInput, seller: str) -> InvoiceIssued:
    """The billing activity: a shipment's quantities, or the order's when no shipment is named."""
    if data.shipment_id is None:
        return issue_for_order(session, data, seller)
    return issue_for_shipment(session, data, seller)


def position(session: Session, invoice_id: int) -> InvoicePosition:
    invoice = get_invoice(session, invoice_id)
    return InvoicePosition(
        invoice_id=invoice_id, outstanding=invoice.outstanding, status=invoice.status
    )


def mark_overdue(session: Session, invoice_id: int, on: date | None = None) -> InvoicePosition:
    """Overdue once an instalment that fell due before `on` is still open. The row is locked
    first, so a payment committing at the same moment is seen, not overwritten."""
    invoice = lock_invoice(session, invoice_id) or get_invoice(session, invoice_id)
    instalments = instalments_of(session, invoice_id)
    if on is None:
        late = invoice.outstanding > 0
    elif instalments:
        late = any(x.outstanding > 0 and x.due_date < on for x in instalments)
    else:
        late = invoice.outstanding > 0 and invoice.due_date < on
    if late and invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID):
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
