"""A customer's unapplied credit (what payments and credit notes left over) applied to an open
invoice: payments first, then credit notes, oldest first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.master_data.customers import get_customer
from activities.receivables.invoice_balance import change_invoice, lock_invoice, unapplied_credit
from activities.receivables.ledger import post
from activities.receivables.payments import payable_invoices
from activities.sales.credit import customer_credit
from models.errors import Conflict, InvalidInput, NotFound
from models.master_data.customers import Customer, CustomerCredit
from models.money import ZERO, quantize, shown
from models.receivables.credit_notes import CreditNote, CreditNoteAllocation
from models.receivables.invoices import InvoiceStatus
from models.receivables.ledger import Account, credit, debit
from models.receivables.payments import (
    CreditApplication,
    CreditApplied,
    CustomerUnappliedCredit,
    Payment,
    PaymentAllocation,
    PreviewLine,
)


def apply_credit(
    session: Session, customer_id: int, data: CreditApplication, user: str, today: date
) -> CreditApplied:
    get_customer(session, customer_id)
    invoice = lock_invoice(session, data.invoice_id)
    if invoice is None:
        raise NotFound(f"invoice {data.invoice_id} does not exist", field="invoice_id")
    if invoice.customer_id != customer_id:
        raise InvalidInput(f"invoice {invoice.number} belongs to another customer", "invoice_id")
    if invoice.status in (InvoiceStatus.VOID, InvoiceStatus.DISPUTED) or invoice.outstanding <= 0:
        raise Conflict(f"invoice {invoice.number} is {invoice.status}: nothing to apply credit to")
    payments = session.exec(
        select(Payment)
        .where(Payment.customer_id == customer_id, col(Payment.unapplied) > 0)
        .where(col(Payment.reversed_on).is_(None))
        .order_by(col(Payment.received_on), col(Payment.id))
        .with_for_update()
    ).all()
    notes = session.exec(
        select(CreditNote)
        .where(CreditNote.customer_id == customer_id, col(CreditNote.unapplied) > 0)
        .order_by(col(CreditNote.issue_date), col(CreditNote.id))
        .with_for_update()
    ).all()
    available = sum((p.unapplied for p in payments), ZERO) + sum((n.unapplied for n in notes), ZERO)
    if available <= 0:
        raise Conflict("the customer has no unapplied credit")
    amount = data.amount or min(available, invoice.outstanding)
    if amount > available:
        raise InvalidInput(
            f"{amount} is more than the {shown(available)} unapplied credit", "amount"
        )
    if amount > invoice.outstanding:
        raise InvalidInput(
            f"{amount} is more than the {shown(invoice.outstanding)} open on {invoice.number}",
            "amount",
        )
    on = data.on or today
    left = amount
    sources: list[Payment | CreditNote] = [*payments, *notes]
    for source in sources:
        share = min(left, source.unapplied)
        if share <= 0:
            break
        left -= share
        source.unapplied -= share
        session.add(source)
        event_id = _apply(session, source, invoice.id or 0, share, on)
        if isinstance(source, Payment):
            change_invoice(session, invoice, paid=share, event_id=event_id)
        else:
            change_invoice(session, invoice, credited=share, event_id=event_id)
    return CreditApplied(
        customer_id=customer_id,
        invoice_id=invoice.id or 0,
        applied=amount,
        unapplied_credit=unapplied_credit(session, customer_id),
    )


def _apply(
    session: Session, source: Payment | CreditNote, invoice_id: int, share: Decimal, on: date
) -> str:
    """Records the application and its ledger entry; returns its event id."""
    row: PaymentAllocation | CreditNoteAllocation
    if isinstance(source, Payment):
        row = PaymentAllocation(
            payment_id=source.id or 0, invoice_id=invoice_id, amount=share, allocated_on=on
        )
        kind = "payment-allocation"
    else:
        row = CreditNoteAllocation(
            credit_note_id=source.id or 0, invoice_id=invoice_id, amount=share, allocated_on=on
        )
        kind = "credit-note-allocation"
    session.add(row)
    session.flush()
    post(
        session,
        key=f"{kind}-{row.id}",
        posted_on=on,
        document=kind.replace("-", "_"),
        document_id=row.id or 0,
        customer_id=source.customer_id,
        lines=[
            debit(Account.CUSTOMER_CREDIT, share),
            credit(Account.RECEIVABLES, share, invoice_id),
        ],
        memo="unapplied credit applied",
    )
    return f"{kind}-{row.id}"


def credit_position(session: Session, customer_id: int, as_of: date) -> CustomerCredit:
    """The customer's credit (limit, exposure, overdue) with their unapplied credit beside it."""
    position = customer_credit(session, customer_id, as_of)
    currency = get_customer(session, customer_id).currency
    held = quantize(unapplied_credit(session, customer_id), currency)
    return position.model_copy(update={"unapplied_credit": held})


def customers_with_credit(
    session: Session, limit: int, offset: int
) -> tuple[list[CustomerUnappliedCredit], int]:
    """Customers holding unapplied credit, by code, each with the invoices it may go to."""
    with_payments = select(Payment.customer_id).where(
        col(Payment.unapplied) > 0, col(Payment.reversed_on).is_(None)
    )
    with_notes = select(CreditNote.customer_id).where(col(CreditNote.unapplied) > 0)
    ids = set(session.exec(with_payments).all()) | set(session.exec(with_notes).all())
    customers = session.exec(
        select(Customer).where(col(Customer.id).in_(ids)).order_by(col(Customer.code))
    ).all()
    return [_with_credit(session, c) for c in customers[offset : offset + limit]], len(customers)


def customer_with_credit(session: Session, customer_id: int) -> CustomerUnappliedCredit | None:
    """The customer's row of the unapplied cash list; None once they hold no credit."""
    customer = get_customer(session, customer_id)
    return _with_credit(session, customer) if unapplied_credit(session, customer_id) > 0 else None


def _with_credit(session: Session, customer: Customer) -> CustomerUnappliedCredit:
    customer_id = customer.id or 0
    invoices = payable_invoices(session, customer_id, customer.currency, lock=False)
    return CustomerUnappliedCredit(
        customer_id=customer_id,
        code=customer.code,
        name=customer.name,
        currency=customer.currency,
        unapplied_credit=unapplied_credit(session, customer_id),
        open_invoices=[
            PreviewLine(
                invoice_id=i.id or 0,
                number=i.number,
                due_date=i.due_date,
                outstanding=i.outstanding,
                applied=ZERO,
            )
            for i in invoices
        ],
    )
