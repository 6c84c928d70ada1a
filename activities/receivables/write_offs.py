"""Write-offs: small ones post at once; above the approval amount they wait for a finance
approver, who answers through the invoice's collection workflow (Update)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.receivables.invoice_balance import change_invoice, lock_invoice
from activities.receivables.invoices import get_invoice
from activities.receivables.ledger import post
from models.errors import Conflict, InvalidInput, NotFound
from models.money import shown
from models.receivables.invoices import Invoice, InvoiceStatus
from models.receivables.ledger import Account, credit, debit
from models.receivables.policies import WRITE_OFF_APPROVAL_ABOVE
from models.receivables.write_offs import WriteOff, WriteOffCreate, WriteOffPublic, WriteOffState
from models.sales.messages import WriteOffDecision


def _by_key(session: Session, key: str) -> WriteOff | None:
    return session.exec(select(WriteOff).where(WriteOff.key == key)).first()


def _check_open(invoice: Invoice, amount: Decimal) -> None:
    if invoice.status == InvoiceStatus.VOID:
        raise Conflict(f"invoice {invoice.number} is void")
    if invoice.outstanding <= 0:
        raise Conflict(
            f"invoice {invoice.number} is {invoice.status}: nothing is left to write off"
        )
    if amount > invoice.outstanding:
        raise InvalidInput(
            f"{amount} is more than the {shown(invoice.outstanding)} open on {invoice.number}",
            field="amount",
        )


def post_write_off(
    session: Session,
    invoice: Invoice,
    amount: Decimal,
    *,
    reason: str,
    key: str,
    on: date,
    user: str,
) -> WriteOff:
    """Give up `amount` of the invoice's debt now: bad debt against receivables. Once per key."""
    existing = _by_key(session, key)
    if existing is not None:
        return existing
    _check_open(invoice, amount)
    write_off = WriteOff(
        invoice_id=invoice.id or 0,
        customer_id=invoice.customer_id,
        amount=amount,
        reason=reason,
        state=WriteOffState.POSTED,
        requested_on=on,
        posted_on=on,
        requested_by=user,
        key=key,
    )
    session.add(write_off)
    session.flush()
    _post(session, invoice, write_off, on)
    return write_off


def _post(session: Session, invoice: Invoice, write_off: WriteOff, on: date) -> None:
    change_invoice(
        session, invoice, written_off=write_off.amount, event_id=f"write-off-{write_off.id}"
    )
    post(
        session,
        key=f"write-off-{write_off.id}",
        posted_on=on,
        document="write_off",
        document_id=write_off.id or 0,
        customer_id=invoice.customer_id,
        lines=[
            debit(Account.BAD_DEBT, write_off.amount),
            credit(Account.RECEIVABLES, write_off.amount, invoice.id),
        ],
        memo=write_off.reason,
    )


def write_off_invoice(
    session: Session, invoice_id: int, data: WriteOffCreate, user: str, today: date, key: str
) -> WriteOffPublic:
    """The API's write-off: posted now up to the approval amount, else waiting for approval."""
    existing = _by_key(session, key)
    if existing is not None:
        return WriteOffPublic.model_validate(existing)
    invoice = lock_invoice(session, invoice_id)
    if invoice is None:
        raise NotFound(f"invoice {invoice_id} does not exist", field="invoice_id")
    amount = data.amount or invoice.outstanding
    _check_open(invoice, amount)
    on = data.on or today
    # Counted with what is already written off: pieces of one large write-off need approval too.
    if invoice.written_off + amount <= WRITE_OFF_APPROVAL_ABOVE:
        posted = post_write_off(
            session, invoice, amount, reason=data.reason, key=key, on=on, user=user
        )
        return WriteOffPublic.model_validate(posted)
    waiting = session.exec(
        select(WriteOff).where(
            WriteOff.invoice_id == invoice_id, WriteOff.state == WriteOffState.PENDING_APPROVAL
        )
    ).first()
    if waiting is not None:
        raise Conflict(
            f"write-off {waiting.id} of {invoice.number} is already waiting for approval"
        )
    request = WriteOff(
        invoice_id=invoice_id,
        customer_id=invoice.customer_id,
        amount=amount,
        reason=data.reason,
        state=WriteOffState.PENDING_APPROVAL,
        requested_on=on,
        requested_by=user,
        key=key,
    )
    session.add(request)
    session.flush()
    return WriteOffPublic.model_validate(request)


def get_write_off(session: Session, invoice_id: int, write_off_id: int) -> WriteOff:
    write_off = session.get(WriteOff, write_off_id)
    if write_off is None or write_off.invoice_id != invoice_id:
        raise NotFound(f"write-off {write_off_id} of invoice {invoice_id} does not exist")
    return write_off


def decide_write_off(session: Session, decision: WriteOffDecision) -> WriteOffPublic:
    """The approver's answer: posts the write-off or refuses it; a retried answer is a no-op."""
    write_off = get_write_off(session, decision.invoice_id, decision.write_off_id)
    wanted = WriteOffState.POSTED if decision.approve else WriteOffState.REJECTED
    if write_off.state == wanted and write_off.decided_by == decision.user:
        return WriteOffPublic.model_validate(write_off)
    if write_off.state != WriteOffState.PENDING_APPROVAL:
        raise Conflict(f"write-off {write_off.id} is {write_off.state}, not waiting for approval")
    if decision.user == write_off.requested_by:
        raise Conflict("a write-off is approved by someone other than who asked for it")
    at = decision.at or datetime.now(UTC)
    write_off.state = wanted
    write_off.decided_by = decision.user
    write_off.decided_at = at
    if decision.approve:
        invoice = lock_invoice(session, write_off.invoice_id) or get_invoice(
            session, write_off.invoice_id
        )
        _check_open(invoice, write_off.amount)
        write_off.posted_on = at.date()
        _post(session, invoice, write_off, at.date())
    session.add(write_off)
    session.flush()
    return WriteOffPublic.model_validate(write_off)


def list_write_offs(session: Session, invoice_id: int) -> list[WriteOffPublic]:
    query = select(WriteOff).where(WriteOff.invoice_id == invoice_id).order_by(col(WriteOff.id))
    return [WriteOffPublic.model_validate(x) for x in session.exec(query).all()]


def reverse_payment_differences(session: Session, payment_id: int, on: date) -> None:
    """The differences written off with a payment that bounced are owed again."""
    prefix = f"payment-{payment_id}/write-off/"
    differences = session.exec(
        select(WriteOff).where(
            col(WriteOff.key).startswith(prefix), WriteOff.state == WriteOffState.POSTED
        )
    ).all()
    for write_off in differences:
        invoice = lock_invoice(session, write_off.invoice_id) or get_invoice(
            session, write_off.invoice_id
        )
        change_invoice(
            session,
            invoice,
            written_off=-write_off.amount,
            event_id=f"write-off-{write_off.id}/reversal",
        )
        post(
            session,
            key=f"write-off-{write_off.id}/reversal",
            posted_on=on,
            document="write_off_reversal",
            document_id=write_off.id or 0,
            customer_id=invoice.customer_id,
            lines=[
                debit(Account.RECEIVABLES, write_off.amount, invoice.id),
                credit(Account.BAD_DEBT, write_off.amount),
            ],
            memo=f"payment {payment_id} bounced",
        )
        write_off.state = WriteOffState.REVERSED
        session.add(write_off)
