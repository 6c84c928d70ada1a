"""Credit notes against one invoice, by amount or by lines: they reduce what the invoice still
owes, and what exceeds that becomes the customer's unapplied credit. `issue_credit_note` is the
use case for the API and for other stages (returns of goods)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from activities.numbering import next_number
from activities.receivables.invoice_balance import change_invoice, lock_invoice
from activities.receivables.ledger import post
from models.errors import Conflict, InvalidInput, NotFound
from models.money import ZERO, quantize, shown
from models.receivables.credit_notes import (
    CreditLineRequest,
    CreditNote,
    CreditNoteAllocation,
    CreditNoteLine,
    CreditNotePublic,
)
from models.receivables.invoices import Invoice, InvoiceLine, InvoiceStatus
from models.receivables.ledger import Account, credit, debit
from models.sales.pricing import LineAmounts, line_amounts, order_totals


def credit_note_public(session: Session, note: CreditNote) -> CreditNotePublic:
    return CreditNotePublic.model_validate(note, update={"applied": note.total - note.unapplied})


def _by_amount(invoice: Invoice, amount: Decimal) -> LineAmounts:
    """Tax taken back in the invoice's own proportion of tax to total."""
    tax = (
        quantize(amount * invoice.tax / invoice.total, invoice.currency) if invoice.total else ZERO
    )
    return LineAmounts(net=amount - tax, tax=tax, total=amount)


def _by_lines(
    session: Session, invoice: Invoice, requests: list[CreditLineRequest]
) -> tuple[LineAmounts, list[CreditNoteLine]]:
    lines: list[CreditNoteLine] = []
    amounts: list[LineAmounts] = []
    for index, request in enumerate(requests):
        source = session.get(InvoiceLine, request.invoice_line_id)
        if source is None or source.invoice_id != invoice.id:
            raise InvalidInput(
                f"lines[{index}]: line {request.invoice_line_id} is not on {invoice.number}",
                field="lines",
            )
        credited = session.exec(
            select(func.sum(CreditNoteLine.quantity)).where(
                CreditNoteLine.invoice_line_id == source.id
            )
        ).one() or Decimal(0)
        if Decimal(credited) + request.quantity > source.quantity:
            raise InvalidInput(
                f"lines[{index}]: {request.quantity} more of {source.sku} would credit more "
                f"than the {source.quantity} invoiced ({Decimal(credited)} credited already)",
                field="lines",
            )
        amount = line_amounts(
            request.quantity,
            source.unit_price,
            source.discount_pct,
            source.tax_rate,
            invoice.currency,
        )
        amounts.append(amount)
        lines.append(
            CreditNoteLine(
                credit_note_id=0,
                invoice_line_id=source.id or 0,
                quantity=request.quantity,
                net=amount.net,
                tax=amount.tax,
                total=amount.total,
            )
        )
    return order_totals(amounts), lines


def issue_credit_note(
    session: Session,
    invoice_id: int,
    *,
    reason: str,
    key: str,
    on: date,
    amount: Decimal | None = None,
    lines: list[CreditLineRequest] | None = None,
    user: str = "system",
) -> CreditNotePublic:
    """Credit `amount` (tax included) or these invoice lines, once per key. Together with
    earlier credit notes it may not exceed the invoice's total."""
    existing = session.exec(select(CreditNote).where(CreditNote.key == key)).first()
    if existing is not None:
        return credit_note_public(session, existing)
    if (amount is None) == (lines is None):
        raise InvalidInput('give either "amount" or "lines"')
    invoice = lock_invoice(session, invoice_id)
    if invoice is None:
        raise NotFound(f"invoice {invoice_id} does not exist", field="invoice_id")
    if invoice.status == InvoiceStatus.VOID:
        raise Conflict(f"invoice {invoice.number} is void")
    note_lines: list[CreditNoteLine] = []
    if amount is not None:
        totals = _by_amount(invoice, amount)
    else:
        totals, note_lines = _by_lines(session, invoice, lines or [])
    earlier = session.exec(
        select(func.sum(CreditNote.total)).where(CreditNote.invoice_id == invoice_id)
    ).one() or Decimal(0)
    if Decimal(earlier) + totals.total > invoice.total:
        raise InvalidInput(
            f"credit notes of {shown(Decimal(earlier) + totals.total)} would exceed the invoice "
            f"total {shown(invoice.total)} of {invoice.number}",
            field="amount" if amount is not None else "lines",
        )
    applied = min(totals.total, max(invoice.outstanding, ZERO))
    note = CreditNote(
        number=next_number(session, "CN", on.year),
        invoice_id=invoice_id,
        customer_id=invoice.customer_id,
        currency=invoice.currency,
        issue_date=on,
        subtotal=totals.net,
        tax=totals.tax,
        total=totals.total,
        unapplied=totals.total - applied,
        reason=reason,
        key=key,
        created_by=user,
    )
    session.add(note)
    session.flush()
    assert note.id is not None
    for line in note_lines:
        line.credit_note_id = note.id
        session.add(line)
    if applied > 0:
        session.add(
            CreditNoteAllocation(
                credit_note_id=note.id, invoice_id=invoice_id, amount=applied, allocated_on=on
            )
        )
        change_invoice(session, invoice, credited=applied, event_id=f"credit-note-{note.id}")
    post(
        session,
        key=f"credit-note-{note.id}",
        posted_on=on,
        document="credit_note",
        document_id=note.id,
        customer_id=invoice.customer_id,
        lines=[
            debit(Account.REVENUE, note.subtotal),
            debit(Account.TAX_PAYABLE, note.tax),
            credit(Account.RECEIVABLES, applied, invoice_id),
            credit(Account.CUSTOMER_CREDIT, note.unapplied),
        ],
        memo=f"{note.number} {reason}",
    )
    session.flush()
    return credit_note_public(session, note)


def list_credit_notes(session: Session, invoice_id: int) -> list[CreditNotePublic]:
    query = select(CreditNote).where(CreditNote.invoice_id == invoice_id)
    notes = session.exec(query.order_by(col(CreditNote.id))).all()
    return [credit_note_public(session, x) for x in notes]


def credit_cancelled_order(session: Session, order_id: int, on: date) -> list[CreditNotePublic]:
    """An order cancelled after it was billed in advance: each of its invoices is credited in
    full (less what earlier credit notes took); money already paid becomes unapplied credit."""
    notes = []
    for invoice in session.exec(select(Invoice).where(Invoice.order_id == order_id)).all():
        credited = session.exec(
            select(func.sum(CreditNote.total)).where(CreditNote.invoice_id == invoice.id)
        ).one() or Decimal(0)
        left = invoice.total - Decimal(credited)
        key = f"order-{order_id}/cancelled/invoice-{invoice.id}"
        if left > 0 or session.exec(select(CreditNote).where(CreditNote.key == key)).first():
            notes.append(
                issue_credit_note(
                    session, invoice.id or 0, amount=left, reason="order cancelled", key=key, on=on
                )
            )
    return notes
