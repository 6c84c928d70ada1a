"""The dunning ladder's use cases: an invoice's plan under its customer's policy, each step
taken (fee and interest posted as charges of their own), the credit hold a level puts on the
customer, and the bad-debt write-off that ends a hopeless collection."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.master_data.customers import get_customer
from activities.numbering import next_number
from activities.receivables.invoice_balance import lock_invoice
from activities.receivables.invoices import get_invoice, position
from activities.receivables.ledger import post
from activities.receivables.write_offs import post_write_off
from models.collection.dunning import NOT_DUNNED, DunningPolicy, DunningStep, DunningStepPublic
from models.collection.dunning_terms import (
    DEFAULT_TERMS,
    DunningTerms,
    fee_for,
    interest_for,
    ladder,
)
from models.collection.messages import DunningPlan, StepResult, TakeStepInput, WriteOffBadDebtInput
from models.errors import Conflict
from models.money import ZERO
from models.receivables.invoices import Invoice, InvoiceKind, InvoiceStatus
from models.receivables.ledger import Account, credit, debit
from models.sales.messages import InvoicePosition

CHARGE_ACCOUNT = {
    InvoiceKind.FEE: Account.FEE_INCOME,
    InvoiceKind.INTEREST: Account.INTEREST_INCOME,
}
CHARGE_SERIES = {InvoiceKind.FEE: "FEE", InvoiceKind.INTEREST: "INT"}


def terms_for_customer(session: Session, customer_id: int) -> DunningTerms:
    """The customer's own policy, else their credit class's, else the built-in default."""
    override = session.exec(
        select(DunningPolicy).where(DunningPolicy.customer_id == customer_id)
    ).first()
    if override is not None:
        return override.terms()
    return terms_for_class(session, get_customer(session, customer_id).credit_class)


def terms_for_class(session: Session, credit_class: str) -> DunningTerms:
    """The credit class's policy, else the built-in default (customers without their own)."""
    by_class = session.exec(
        select(DunningPolicy).where(DunningPolicy.credit_class == credit_class)
    ).first()
    return by_class.terms() if by_class is not None else DEFAULT_TERMS


def customers_with_own_policy(session: Session) -> set[int]:
    query = select(DunningPolicy.customer_id).where(col(DunningPolicy.customer_id).is_not(None))
    return {customer_id for customer_id in session.exec(query).all() if customer_id}


def dunning_plan(session: Session, invoice_id: int) -> DunningPlan:
    invoice = get_invoice(session, invoice_id)
    terms = terms_for_customer(session, invoice.customer_id)
    return DunningPlan(due_date=invoice.due_date, terms=terms, steps=ladder(terms))


def take_step(session: Session, data: TakeStepInput) -> StepResult:
    """Record that the invoice reached this step and post its fee and interest; once per step.
    Below the policy's minimum outstanding nobody is dunned and nothing is written."""
    key = f"invoice-{data.invoice_id}/dunning/{data.level}"
    done = session.exec(select(DunningStep).where(DunningStep.key == key)).first()
    if done is not None:
        return StepResult(
            taken=True, fee=done.fee, interest=done.interest, outstanding=done.outstanding
        )
    invoice = session.exec(
        select(Invoice).where(Invoice.id == data.invoice_id).with_for_update()
    ).one()
    terms = terms_for_customer(session, invoice.customer_id)
    outstanding = invoice.outstanding
    if outstanding <= 0 or outstanding < terms.min_outstanding or invoice.status in NOT_DUNNED:
        return StepResult(taken=False, fee=ZERO, interest=ZERO, outstanding=outstanding)
    spec = data.spec
    fee = fee_for(spec, outstanding, invoice.currency) if spec else ZERO
    rate = spec.annual_interest_rate if spec else ZERO
    interest = interest_for(outstanding, rate, data.interest_days, invoice.currency)
    for kind, amount in ((InvoiceKind.FEE, fee), (InvoiceKind.INTEREST, interest)):
        if amount > 0:
            post_charge(session, invoice, kind, amount, data.on, key=f"{key}/{kind.value}")
    session.add(
        DunningStep(
            key=key,
            invoice_id=data.invoice_id,
            customer_id=invoice.customer_id,
            level=data.level,
            reached_on=data.on,
            days_past_due=data.days_past_due,
            outstanding=outstanding,
            fee=fee,
            interest=interest,
            template=spec.template if spec else "dunning_reminder",
            credit_hold=bool(spec and spec.credit_hold),
        )
    )
    if data.level > invoice.dunning_level:
        invoice.dunning_level = data.level
        session.add(invoice)
    return StepResult(taken=True, fee=fee, interest=interest, outstanding=outstanding)


def post_charge(
    session: Session, parent: Invoice, kind: InvoiceKind, amount: Decimal, on: date, key: str
) -> Invoice:
    """A fee or interest charge: an open item of its own, due at once, owed even after the
    invoice it arose from is paid. Dr receivables (the charge) / Cr fee or interest income."""
    existing = session.exec(select(Invoice).where(Invoice.key == key)).first()
    if existing is not None:
        return existing
    charge = Invoice(
        number=next_number(session, CHARGE_SERIES[kind], on.year),
        order_id=None,
        customer_id=parent.customer_id,
        currency=parent.currency,
        issue_date=on,
        due_date=on,
        subtotal=amount,
        tax=ZERO,
        total=amount,
        paid=ZERO,
        credited=ZERO,
        written_off=ZERO,
        outstanding=amount,
        status=InvoiceStatus.OPEN,
        kind=kind,
        parent_invoice_id=parent.id,
        key=key,
    )
    session.add(charge)
    session.flush()
    assert charge.id is not None
    post(
        session,
        key=f"{key}/post",
        posted_on=on,
        document=kind.value,
        document_id=charge.id,
        customer_id=parent.customer_id,
        lines=[debit(Account.RECEIVABLES, amount, charge.id), credit(CHARGE_ACCOUNT[kind], amount)],
        memo=f"{kind.value} on {parent.number}",
    )
    return charge


def write_off_bad_debt(session: Session, data: WriteOffBadDebtInput) -> InvoicePosition:
    """Write off everything still open on the invoice as bad debt: Dr bad debt / Cr
    receivables (for this invoice), in one transaction, once per proposal."""
    invoice = lock_invoice(session, data.invoice_id)
    if invoice is None:
        raise Conflict(f"invoice {data.invoice_id} does not exist")
    if invoice.outstanding > 0:
        post_write_off(
            session,
            invoice,
            invoice.outstanding,
            reason="bad debt: accepted write-off proposal",
            key=f"invoice-{data.invoice_id}/bad-debt/{data.proposal_id}",
            on=data.at.date(),
            user="system",
        )
        invoice.status = InvoiceStatus.WRITTEN_OFF
        session.add(invoice)
    return position(session, data.invoice_id)


def steps_of(session: Session, invoice_id: int) -> list[DunningStepPublic]:
    get_invoice(session, invoice_id)
    steps = session.exec(
        select(DunningStep)
        .where(DunningStep.invoice_id == invoice_id)
        .order_by(col(DunningStep.level))
    ).all()
    return [
        DunningStepPublic.model_validate(s, update={"digested": s.digest_outbox_id is not None})
        for s in steps
    ]
