"""What every money document does to an invoice: move its paid, credited or written-off amount,
keep its instalments and status in step, and tell its collection workflow through the outbox."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from activities.workflow_outbox import enqueue, queue_signal
from models.errors import Conflict
from models.money import ZERO, shown
from models.outbox import OutboxKind
from models.receivables.credit_notes import CreditNote
from models.receivables.instalments import open_per_instalment
from models.receivables.invoices import Invoice, InvoiceInstalment, InvoiceKind
from models.receivables.payments import Payment, PaymentAllocation
from models.sales.messages import (
    INVOICE_COLLECTION_WORKFLOW,
    SETTLEMENT_SIGNAL,
    InvoiceCollectionInput,
    InvoiceSettlement,
)


def lock_invoice(session: Session, invoice_id: int) -> Invoice | None:
    """The invoice row, locked until the commit, so concurrent postings queue up behind it."""
    query = select(Invoice).where(Invoice.id == invoice_id).with_for_update()
    return session.exec(query).first()


def instalments_of(session: Session, invoice_id: int) -> list[InvoiceInstalment]:
    query = select(InvoiceInstalment).where(InvoiceInstalment.invoice_id == invoice_id)
    return list(session.exec(query.order_by(col(InvoiceInstalment.seq))).all())


def last_paid_on(session: Session, invoice_id: int) -> date | None:
    """The day of the invoice's last payment allocation not reversed (the one this posting
    added included: it is flushed first), if any."""
    return session.exec(
        select(func.max(PaymentAllocation.allocated_on)).where(
            PaymentAllocation.invoice_id == invoice_id, col(PaymentAllocation.reversed_on).is_(None)
        )
    ).one()


def change_invoice(
    session: Session,
    invoice: Invoice,
    *,
    event_id: str,
    paid: Decimal = ZERO,
    credited: Decimal = ZERO,
    written_off: Decimal = ZERO,
) -> None:
    """Apply one document's effect; outstanding never goes below zero. Settled, the invoice
    keeps the day its last payment allocation was made (`Invoice.settled_on`); reopened, none."""
    was_settled = invoice.outstanding <= 0
    invoice.paid += paid
    invoice.credited += credited
    invoice.written_off += written_off
    invoice.refresh_outstanding()
    if invoice.outstanding < 0 or invoice.outstanding > invoice.total:
        raise Conflict(
            f"invoice {invoice.number} would have {shown(invoice.outstanding)} outstanding",
            field="amount",
        )
    invoice.settled_on = (
        last_paid_on(session, invoice.id or 0) if invoice.outstanding <= 0 else None
    )
    session.add(invoice)
    rows = instalments_of(session, invoice.id or 0)
    opens = open_per_instalment([r.amount for r in rows], invoice.total - invoice.outstanding)
    for row, still_open in zip(rows, opens, strict=True):
        row.outstanding = still_open
        session.add(row)
    _tell_collection(session, invoice, event_id, reopened=was_settled and invoice.outstanding > 0)


def _tell_collection(session: Session, invoice: Invoice, event_id: str, reopened: bool) -> None:
    if invoice.kind != InvoiceKind.INVOICE:
        return  # fee and interest charges have no collection workflow of their own
    if reopened:
        # Its collection ended when the invoice was settled: start it again for what reopened.
        enqueue(
            session,
            key=f"start:{invoice.workflow_id}/{event_id}",
            kind=OutboxKind.START_WORKFLOW,
            target=invoice.workflow_id,
            name=INVOICE_COLLECTION_WORKFLOW,
            payload=InvoiceCollectionInput(
                invoice_id=invoice.id or 0,
                customer_id=invoice.customer_id,
                due_date=invoice.due_date,
                outstanding=invoice.outstanding,
            ).model_dump(mode="json"),
        )
    queue_signal(
        session,
        key=f"signal:{event_id}",
        workflow_id=invoice.workflow_id,
        signal=SETTLEMENT_SIGNAL,
        payload=InvoiceSettlement(event_id=event_id, invoice_id=invoice.id or 0).model_dump(
            mode="json"
        ),
    )


def unapplied_credit(session: Session, customer_id: int) -> Decimal:
    """Money the customer has with us that no invoice took: payments and credit notes."""
    payments = session.exec(
        select(func.sum(Payment.unapplied)).where(
            Payment.customer_id == customer_id, col(Payment.reversed_on).is_(None)
        )
    ).one()
    notes = session.exec(
        select(func.sum(CreditNote.unapplied)).where(CreditNote.customer_id == customer_id)
    ).one()
    return Decimal(payments or ZERO) + Decimal(notes or ZERO)
