"""Payments: recorded and allocated to invoices (as asked, or oldest due first), the rest kept
as the customer's credit; reversed when they bounce. Each posts its ledger entry at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.master_data.customers import get_customer
from activities.receivables.invoice_balance import change_invoice, lock_invoice
from activities.receivables.invoices import get_invoice
from activities.receivables.ledger import post
from activities.receivables.write_offs import post_write_off, reverse_payment_differences
from activities.review_triggers import review_late_payment, review_reversed_payment
from activities.sales.credit_holds import release_fitting_holds
from models.credit.review_triggers import LATE_DAYS
from models.errors import Conflict, InvalidInput, NotFound
from models.master_data.customers import Customer
from models.money import ZERO, MoneyError, parse_amount, shown
from models.receivables.allocation import OpenItem, allocate_oldest_first
from models.receivables.invoices import Invoice, InvoiceInstalment, InvoiceStatus
from models.receivables.ledger import Account, credit, debit
from models.receivables.payments import (
    AllocationPublic,
    AllocationRequest,
    Payment,
    PaymentAllocation,
    PaymentCreate,
    PaymentPreview,
    PaymentPublic,
    PaymentReverse,
    PreviewLine,
)
from models.receivables.policies import PAYMENT_DIFFERENCE_TOLERANCE

CLOSED_INVOICE = (InvoiceStatus.VOID, InvoiceStatus.WRITTEN_OFF, InvoiceStatus.PAID)
NOT_PAYABLE = (InvoiceStatus.VOID, InvoiceStatus.DISPUTED)


def _payment_currency(data: PaymentCreate, customer: Customer) -> str:
    currency = (data.currency or customer.currency).upper()
    if currency != customer.currency:
        raise InvalidInput(
            f"the payment is in {currency} but {customer.code} is billed in {customer.currency}",
            field="currency",
        )
    try:
        parse_amount(data.amount, currency)
    except MoneyError as exc:
        raise InvalidInput(f"amount: {exc}", field="amount") from exc
    return currency


def _explicit_allocations(
    session: Session, data: PaymentCreate, currency: str
) -> list[tuple[Invoice, Decimal]]:
    chosen: list[tuple[Invoice, Decimal]] = []
    seen: set[int] = set()
    # Locked in id order, as oldest-first allocation locks them: two payments never deadlock.
    for invoice_id in sorted({request.invoice_id for request in data.allocations or []}):
        lock_invoice(session, invoice_id)
    for index, request in enumerate(data.allocations or []):
        field = f"allocations[{index}]"
        invoice = lock_invoice(session, request.invoice_id)
        if invoice is None:
            raise InvalidInput(
                f"{field}.invoice_id: invoice {request.invoice_id} does not exist",
                field="allocations",
            )
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
                f"{field}.amount: {request.amount} is more than the {shown(invoice.outstanding)} "
                f"outstanding on {invoice.number}"
            )
        seen.add(request.invoice_id)
        chosen.append((invoice, request.amount))
    total = sum((amount for _, amount in chosen), ZERO)
    if total > data.amount:
        raise InvalidInput(f"allocations add up to {total}, more than the payment {data.amount}")
    return chosen


def payable_invoices(
    session: Session, customer_id: int, currency: str, lock: bool = True
) -> list[Invoice]:
    """The customer's invoices a payment may settle, by id; locked until the commit unless
    only read."""
    query = (
        select(Invoice)
        .where(Invoice.customer_id == customer_id, col(Invoice.outstanding) > 0)
        .where(Invoice.currency == currency)
        .where(col(Invoice.status).not_in(NOT_PAYABLE))
        .order_by(col(Invoice.id))
    )
    return list(session.exec(query.with_for_update() if lock else query).all())


def _oldest_first(
    session: Session, data: PaymentCreate, currency: str
) -> list[tuple[Invoice, Decimal]]:
    """Every open instalment of the customer is an item: oldest due first, and within an
    invoice its earliest instalment first. The invoices stay locked until the commit."""
    open_invoices = payable_invoices(session, data.customer_id, currency)
    by_id = {invoice.id: invoice for invoice in open_invoices}
    instalments = session.exec(
        select(InvoiceInstalment).where(
            col(InvoiceInstalment.invoice_id).in_(list(by_id)),
            col(InvoiceInstalment.outstanding) > 0,
        )
    ).all()
    with_instalments = {x.invoice_id for x in instalments}
    items = [OpenItem(x.invoice_id, x.due_date, x.outstanding, x.seq) for x in instalments]
    items += [
        OpenItem(i.id or 0, i.due_date, i.outstanding)
        for i in open_invoices
        if i.id not in with_instalments
    ]
    allocations, _ = allocate_oldest_first(data.amount, items)
    return [(by_id[invoice_id], amount) for invoice_id, amount in allocations]


def ticked_allocations(
    session: Session, customer_id: int, invoice_ids: list[int], amount: Decimal
) -> list[AllocationRequest]:
    """`amount` spread over the invoices a person ticked, by the same rule: oldest due first,
    never more than each owes. Invoices of other customers are not the customer's to tick."""
    ticked = session.exec(
        select(Invoice).where(col(Invoice.id).in_(invoice_ids), Invoice.customer_id == customer_id)
    ).all()
    items = [OpenItem(i.id or 0, i.due_date, i.outstanding) for i in ticked if i.outstanding > 0]
    allocations, _ = allocate_oldest_first(amount, items)
    return [AllocationRequest(invoice_id=i, amount=share) for i, share in allocations]


def _differences(chosen: list[tuple[Invoice, Decimal]]) -> list[tuple[Invoice, Decimal]]:
    """What the payment leaves open on each invoice it touches; all within the tolerance."""
    differences = []
    for invoice, amount in chosen:
        left = invoice.outstanding - amount
        if left > PAYMENT_DIFFERENCE_TOLERANCE:
            raise InvalidInput(
                f"the payment leaves {shown(left)} open on {invoice.number}, more than the "
                f"{PAYMENT_DIFFERENCE_TOLERANCE} that may be written off with it",
                field="write_off_difference",
            )
        if left > 0:
            differences.append((invoice, left))
    return differences


@dataclass(frozen=True)
class PaymentPlan:
    """How a payment will be spread: what each invoice takes, and what is written off with it."""

    currency: str
    chosen: list[tuple[Invoice, Decimal]]
    differences: list[tuple[Invoice, Decimal]]


def plan_payment(session: Session, data: PaymentCreate) -> PaymentPlan:
    """The allocation rule: the invoices asked for, else oldest due first; refused as the
    payment would be. It locks the invoices it allocates to, not the customer: the customer's
    row is taken only for the credit decision at the end (`release_fitting_holds`), so orders of
    the customer are not held up while a payment waits for its invoices or posts."""
    customer = get_customer(session, data.customer_id)
    currency = _payment_currency(data, customer)
    if data.allocations is not None:
        chosen = _explicit_allocations(session, data, currency)
    else:
        chosen = _oldest_first(session, data, currency)
    differences = _differences(chosen) if data.write_off_difference else []
    return PaymentPlan(currency, chosen, differences)


def preview_payment(session: Session, data: PaymentCreate) -> PaymentPreview:
    """What recording `data` would do, before it is recorded: every invoice the customer may
    pay with what it would take, and what would be left as credit. Nothing is written."""
    plan = plan_payment(session, data)
    taken = {invoice.id: amount for invoice, amount in plan.chosen}
    shown_invoices = {i.id: i for i in payable_invoices(session, data.customer_id, plan.currency)}
    shown_invoices.update({invoice.id: invoice for invoice, _ in plan.chosen})
    lines = [
        PreviewLine(
            invoice_id=invoice.id or 0,
            number=invoice.number,
            due_date=invoice.due_date,
            outstanding=invoice.outstanding,
            applied=taken.get(invoice.id, ZERO),
        )
        for invoice in sorted(shown_invoices.values(), key=lambda i: (i.due_date, i.id or 0))
    ]
    allocated = sum(taken.values(), ZERO)
    return PaymentPreview(
        customer_id=data.customer_id,
        currency=plan.currency,
        amount=data.amount,
        lines=lines,
        unapplied=data.amount - allocated,
    )


def record_payment(
    session: Session, data: PaymentCreate, user: str, late_days: int = LATE_DAYS
) -> PaymentPublic:
    """Records and allocates the payment; one settling an invoice more than `late_days` after
    its due date starts the customer's credit review."""
    plan = plan_payment(session, data)
    currency, chosen, differences = plan.currency, plan.chosen, plan.differences
    allocated = sum((amount for _, amount in chosen), ZERO)
    payment = Payment(
        customer_id=data.customer_id,
        amount=data.amount,
        unapplied=data.amount - allocated,
        currency=currency,
        received_on=data.received_on,
        reference=data.reference,
        method=data.method,
        created_by=user,
    )
    session.add(payment)
    session.flush()
    assert payment.id is not None
    for invoice, amount in chosen:
        session.add(
            PaymentAllocation(
                payment_id=payment.id,
                invoice_id=invoice.id or 0,
                amount=amount,
                allocated_on=data.received_on,
            )
        )
        change_invoice(
            session, invoice, paid=amount, event_id=f"payment-{payment.id}/invoice-{invoice.id}"
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
    for invoice, left in differences:
        post_write_off(
            session,
            invoice,
            left,
            reason=f"payment difference ({data.reference})",
            key=f"payment-{payment.id}/write-off/invoice-{invoice.id}",
            on=data.received_on,
            user=user,
        )
    review_late_payment(
        session,
        customer_id=data.customer_id,
        payment_id=payment.id,
        settled=[invoice for invoice, _ in chosen],
        received_on=data.received_on,
        late_days=late_days,
    )
    release_fitting_holds(session, data.customer_id, data.received_on, f"payment {data.reference}")
    # Its allocations are the ones just written, in that order: not read back under the lock.
    allocations = [(invoice.id or 0, amount) for invoice, amount in chosen]
    return _public(payment, allocations, written_off=differences)


def payment_public(
    session: Session, payment_id: int, written_off: list[tuple[Invoice, Decimal]] | None = None
) -> PaymentPublic:
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise NotFound(f"payment {payment_id} does not exist", field="payment_id")
    rows = session.exec(
        select(PaymentAllocation)
        .where(PaymentAllocation.payment_id == payment_id)
        .order_by(col(PaymentAllocation.id))
    ).all()
    return _public(payment, [(x.invoice_id, x.amount) for x in rows], written_off)


def _public(
    payment: Payment,
    allocated: list[tuple[int, Decimal]],
    written_off: list[tuple[Invoice, Decimal]] | None = None,
) -> PaymentPublic:
    allocations = [AllocationPublic(invoice_id=i, amount=amount) for i, amount in allocated]
    differences = [
        AllocationPublic(invoice_id=i.id or 0, amount=amount) for i, amount in written_off or []
    ]
    return PaymentPublic.model_validate(
        payment, update={"allocations": allocations, "written_off": differences}
    )


def reverse_payment(
    session: Session, payment_id: int, data: PaymentReverse, user: str, today: date
) -> PaymentPublic:
    """A bounced payment: its allocations and the differences written off with it are undone,
    the invoices reopen (and their collection resumes), and the cash and any credit it left
    are taken back. The customer's credit review starts at once."""
    payment = session.exec(
        select(Payment).where(Payment.id == payment_id).with_for_update()
    ).first()
    if payment is None:
        raise NotFound(f"payment {payment_id} does not exist", field="payment_id")
    if payment.reversed_on is not None:
        raise Conflict(f"payment {payment_id} was already reversed on {payment.reversed_on}")
    on = data.on or today
    if on < payment.received_on:
        raise InvalidInput(f"a payment received on {payment.received_on} cannot bounce before")
    active = session.exec(
        select(PaymentAllocation)
        .where(PaymentAllocation.payment_id == payment_id)
        .where(col(PaymentAllocation.reversed_on).is_(None))
        .order_by(col(PaymentAllocation.id))
    ).all()
    undone: list[tuple[int, Decimal]] = []
    for allocation in active:
        invoice = lock_invoice(session, allocation.invoice_id) or get_invoice(
            session, allocation.invoice_id
        )
        change_invoice(
            session,
            invoice,
            paid=-allocation.amount,
            event_id=f"payment-{payment_id}/reversal/allocation-{allocation.id}",
        )
        allocation.reversed_on = on
        session.add(allocation)
        undone.append((allocation.invoice_id, allocation.amount))
    post(
        session,
        key=f"payment-{payment_id}/reversal",
        posted_on=on,
        document="payment_reversal",
        document_id=payment_id,
        customer_id=payment.customer_id,
        lines=[
            *(debit(Account.RECEIVABLES, amount, invoice_id) for invoice_id, amount in undone),
            debit(Account.CUSTOMER_CREDIT, payment.unapplied),
            credit(Account.CASH, payment.amount),
        ],
        memo=f"reversal: {data.reason}",
    )
    reverse_payment_differences(session, payment_id, on)
    payment.unapplied = ZERO
    payment.reversed_on = on
    payment.reversal_reason = data.reason
    session.add(payment)
    review_reversed_payment(session, customer_id=payment.customer_id, payment_id=payment_id)
    session.flush()
    return payment_public(session, payment_id)
