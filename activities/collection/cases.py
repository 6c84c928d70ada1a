"""What pauses or ends an invoice's dunning besides money: promises to pay (kept or broken),
disputes (opened, resolved) and the bad-debt write-off proposal a finance approver decides."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.master_data.customers import get_customer
from activities.receivables.invoices import get_invoice
from activities.workflow_outbox import queue_credit_review
from models.collection.messages import (
    BadDebtDecisionInput,
    BadDebtProposed,
    DisputeInput,
    PromiseCheckInput,
    PromiseInput,
)
from models.collection.tasks import (
    BadDebtProposal,
    CustomerCollection,
    InvoiceDispute,
    PaymentPromise,
    PromiseStatus,
    ProposalStatus,
)
from models.credit.reviews import ReviewTrigger
from models.errors import Conflict, InvalidInput, NotFound
from models.money import quantize
from models.receivables.invoices import Invoice, InvoiceStatus
from models.security.users import Role, User
from notifications.outbox import mail_staff

SETTLED = (InvoiceStatus.PAID, InvoiceStatus.WRITTEN_OFF, InvoiceStatus.VOID)


def collectable_invoice(session: Session, invoice_id: int) -> Invoice:
    """An invoice that is still being collected; a paid, written-off or void one is a conflict."""
    invoice = get_invoice(session, invoice_id)
    if invoice.status in SETTLED or invoice.outstanding <= 0:
        raise Conflict(f"invoice {invoice.number} is {invoice.status}: nothing to collect")
    return invoice


def check_promise_request(
    session: Session, invoice_id: int, promised_date: date, amount: Decimal, today: date
) -> Invoice:
    invoice = collectable_invoice(session, invoice_id)
    if promised_date < today:
        raise InvalidInput(f"promised_date {promised_date} is in the past", field="promised_date")
    if amount > invoice.outstanding:
        raise InvalidInput(
            f"amount {amount} is more than the {invoice.outstanding} outstanding", field="amount"
        )
    return invoice


def record_promise(session: Session, data: PromiseInput) -> int:
    key = f"invoice-{data.invoice_id}/promise/{data.at.isoformat()}"
    existing = session.exec(select(PaymentPromise).where(PaymentPromise.key == key)).first()
    if existing is not None:
        return existing.id or 0
    invoice = get_invoice(session, data.invoice_id)
    for earlier in session.exec(
        select(PaymentPromise).where(
            PaymentPromise.invoice_id == data.invoice_id,
            PaymentPromise.status == PromiseStatus.OPEN,
        )
    ).all():
        earlier.status = PromiseStatus.BROKEN  # replaced by the new promise, not kept
        session.add(earlier)
    promise = PaymentPromise(
        key=key,
        invoice_id=data.invoice_id,
        promised_date=data.promised_date,
        amount=data.amount,
        settled_before=invoice.paid + invoice.credited,
        by=data.user,
        at=data.at,
    )
    session.add(promise)
    session.flush()
    return promise.id or 0


def check_promise(session: Session, data: PromiseCheckInput) -> bool:
    """Kept when the promised amount arrived (or nothing is owed any more). A broken promise
    marks the customer."""
    promise = session.get(PaymentPromise, data.promise_id)
    if promise is None:
        raise NotFound(f"promise {data.promise_id} does not exist")
    if promise.status != PromiseStatus.OPEN:
        return promise.status == PromiseStatus.KEPT
    invoice = get_invoice(session, promise.invoice_id)
    arrived = invoice.paid + invoice.credited - promise.settled_before
    kept = arrived >= promise.amount or invoice.outstanding <= 0
    promise.status = PromiseStatus.KEPT if kept else PromiseStatus.BROKEN
    session.add(promise)
    if not kept:
        profile = session.get(CustomerCollection, invoice.customer_id) or CustomerCollection(
            customer_id=invoice.customer_id
        )
        profile.broken_promises += 1
        profile.last_broken_on = data.at.date()
        session.add(profile)
        queue_credit_review(
            session,
            customer_id=invoice.customer_id,
            trigger=ReviewTrigger.BROKEN_PROMISE,
            because=f"promise-{promise.id}",
        )
    return kept


def open_dispute(session: Session, data: DisputeInput) -> int:
    invoice = collectable_invoice(session, data.invoice_id)
    if invoice.status == InvoiceStatus.DISPUTED:
        raise Conflict(f"invoice {invoice.number} is already disputed")
    dispute = InvoiceDispute(
        key=f"invoice-{data.invoice_id}/dispute/{data.at.isoformat()}",
        invoice_id=data.invoice_id,
        reason=data.reason,
        opened_by=data.user,
        opened_at=data.at,
    )
    invoice.status = InvoiceStatus.DISPUTED
    session.add(invoice)
    session.add(dispute)
    session.flush()
    return dispute.id or 0


def open_dispute_of(session: Session, invoice_id: int) -> InvoiceDispute | None:
    return session.exec(
        select(InvoiceDispute)
        .where(InvoiceDispute.invoice_id == invoice_id, col(InvoiceDispute.resolved_at).is_(None))
        .order_by(col(InvoiceDispute.id).desc())
    ).first()


def resolve_dispute(session: Session, data: DisputeInput) -> None:
    """The dispute ends; the invoice's status follows from its money and due date again."""
    invoice = get_invoice(session, data.invoice_id)
    dispute = open_dispute_of(session, data.invoice_id)
    if dispute is None or invoice.status != InvoiceStatus.DISPUTED:
        return  # resolved already (a retried step)
    dispute.resolution = data.reason
    dispute.resolved_by = data.user
    dispute.resolved_at = data.at
    session.add(dispute)
    invoice.status = InvoiceStatus.OPEN
    invoice.refresh_outstanding()
    if invoice.outstanding > 0 and invoice.due_date < data.at.date():
        invoice.status = InvoiceStatus.OVERDUE
    session.add(invoice)


def check_dispute_open(session: Session, invoice_id: int) -> Invoice:
    invoice = get_invoice(session, invoice_id)
    if invoice.status != InvoiceStatus.DISPUTED:
        raise Conflict(f"invoice {invoice.number} is not in dispute")
    return invoice


def propose_bad_debt(session: Session, invoice_id: int) -> BadDebtProposed:
    """Propose writing off what is still open; every finance user is told by e-mail."""
    key = f"invoice-{invoice_id}/bad-debt-proposal"
    proposal = session.exec(select(BadDebtProposal).where(BadDebtProposal.key == key)).first()
    invoice = get_invoice(session, invoice_id)
    if proposal is None:
        proposal = BadDebtProposal(key=key, invoice_id=invoice_id, amount=invoice.outstanding)
        session.add(proposal)
        session.flush()
    customer = get_customer(session, invoice.customer_id)
    users = session.exec(select(User).where(col(User.active)).order_by(col(User.username))).all()
    mails = mail_staff(
        session,
        [u for u in users if Role.FINANCE in u.role_set and u.email],
        key=key,
        template="bad_debt_proposal",
        context={
            "invoice": invoice,
            "customer": customer,
            "amount": quantize(proposal.amount, invoice.currency),
        },
    )
    return BadDebtProposed(
        proposal_id=proposal.id or 0, amount=proposal.amount, mail_outbox_ids=mails
    )


def decide_bad_debt(session: Session, data: BadDebtDecisionInput) -> None:
    proposal = session.get(BadDebtProposal, data.proposal_id)
    if proposal is None:
        raise NotFound(f"bad-debt proposal {data.proposal_id} does not exist")
    if proposal.status != ProposalStatus.PROPOSED:
        return
    proposal.status = ProposalStatus.ACCEPTED if data.accept else ProposalStatus.REFUSED
    proposal.decided_by = data.user
    proposal.comment = data.comment
    proposal.decided_at = data.at
    session.add(proposal)
