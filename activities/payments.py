"""Payments: recorded, allocated to invoices, posted, and announced to each invoice's collection."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, col, select

from activities.credit_holds import release_fitting_holds
from activities.customers import get_customer
from activities.invoices import get_invoice
from activities.ledger import post
from activities.workflow_outbox import queue_signal
from models.allocation import OpenItem, allocate_oldest_first
from models.errors import Conflict, InvalidInput, NotFound
from models.invoices import Invoice, InvoiceStatus
from models.ledger import Account, credit, debit
from models.money import ZERO
from models.payments import (
    AllocationPublic,
    Payment,
    PaymentAllocation,
    PaymentCreate,
    PaymentPublic,
)
from models.workflow_messages import InvoiceSettlement

SETTLEMENT_SIGNAL = "settlement"
CLOSED_INVOICE = (InvoiceStatus.VOID, InvoiceStatus.WRITTEN_OFF, InvoiceStatus.PAID)


def _explicit_allocations(
    session: Session, data: PaymentCreate, currency: str
) -> list[tuple[Invoice, Decimal]]:
    chosen: list[tuple[Invoice, Decimal]] = []
    seen: set[int] = set()
    for index, request in enumerate(data.allocations or []):
        field = f"allocations[{index}]"
        try:
            invoice = get_invoice(session, request.invoice_id)
        except NotFound as exc:
            raise InvalidInput(f"{field}.invoice_id: {exc.message}", field="allocations") from exc
        if invoice.customer_id != data.customer_id:
            raise InvalidInput(f"{field}: invoice {invoice.number} belongs to another customer")
        if invoice.currency != currency:
            raise InvalidInput(f"{field}: invoice {invoice.number} is in {invoice.currency}")
        if invoice.status in CLOSED_INVOICE and invoice.outstanding <= 0:
            raise Conflict(f"{field}: invoice {invoice.number} is {invoice.status}")
        if request.invoice_id in seen:
            raise InvalidInput(f"{field}: invoice {invoice.number} is allocated twice")
        if request.amount > invoice.outstanding:
            raise InvalidInput(
                f"{field}.amount: {request.amount} is more than the {invoice.outstanding} "
                f"outstanding on {invoice.number}"
            )
        seen.add(request.invoice_id)
        chosen.append((invoice, request.amount))
    total = sum((amount for _, amount in chosen), ZERO)
    if total > data.amount:
        raise InvalidInput(f"allocations add up to {total}, more than the payment {data.amount}")
    return chosen


def _oldest_first(session: Session, data: PaymentCreate) -> list[tuple[Invoice, Decimal]]:
    open_invoices = session.exec(
        select(Invoice)
        .where(Invoice.customer_id == data.customer_id, col(Invoice.outstanding) > 0)
        .where(col(Invoice.status).not_in([InvoiceStatus.VOID, InvoiceStatus.DISPUTED]))
        .with_for_update()
    ).all()
    by_id = {invoice.id: invoice for invoice in open_invoices}
    allocations, _ = allocate_oldest_first(
        data.amount,
        [OpenItem(i.id or 0, i.due_date, i.outstanding) for i in open_invoices],
    )
    return [(by_id[invoice_id], amount) for invoice_id, amount in allocations]


def record_payment(session: Session, data: PaymentCreate, user: str) -> PaymentPublic:
    customer = get_customer(session, data.customer_id)
    if data.allocations is not None:
        chosen = _explicit_allocations(session, data, customer.currency)
    else:
        chosen = _oldest_first(session, data)
    allocated = sum((amount for _, amount in chosen), ZERO)
    payment = Payment(
        customer_id=data.customer_id,
        amount=data.amount,
        unapplied=data.amount - allocated,
        currency=customer.currency,
        received_on=data.received_on,
        reference=data.reference,
        method=data.method,
        created_by=user,
    )
    session.add(payment)
    session.flush()
    assert payment.id is not None
    result = []
    for invoice, amount in chosen:
        session.add(
            PaymentAllocation(
                payment_id=payment.id,
                invoice_id=invoice.id or 0,
                amount=amount,
                allocated_on=data.received_on,
            )
        )
        invoice.paid += amount
        invoice.refresh_outstanding()
        session.add(invoice)
        result.append(AllocationPublic(invoice_id=invoice.id or 0, amount=amount))
        event_id = f"payment-{payment.id}/invoice-{invoice.id}"
        queue_signal(
            session,
            key=f"signal:{event_id}",
            workflow_id=invoice.workflow_id,
            signal=SETTLEMENT_SIGNAL,
            payload=InvoiceSettlement(event_id=event_id, invoice_id=invoice.id or 0).model_dump(
                mode="json"
            ),
        )
    post(
        session,
        key=f"payment-{payment.id}/receipt",
        posted_on=data.received_on,
        document="payment",
        document_id=payment.id,
        customer_id=data.customer_id,
        lines=[
            debit(Account.CASH, data.amount),
            *(credit(Account.RECEIVABLES, amount, invoice.id) for invoice, amount in chosen),
            credit(Account.CUSTOMER_CREDIT, payment.unapplied),
        ],
        memo=data.reference,
    )
    release_fitting_holds(session, data.customer_id, data.received_on, f"payment {data.reference}")
    return PaymentPublic.model_validate(payment, update={"allocations": result})
