"""A customer's credit: limit, exposure (open receivables plus open orders) and what is left."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import case, func
from sqlmodel import Session, col, select

from activities.master_data.customers import get_customer
from activities.review_triggers import review_high_utilisation
from models.collection.dunning import NOT_DUNNED, DunningStep
from models.credit.reviews import CustomerCreditHold
from models.errors import NotFound
from models.master_data.customers import CreditStatus, Customer, CustomerCredit
from models.money import ZERO
from models.receivables.invoices import Invoice
from models.sales.credit_policy import (
    DEFAULT_POLICY,
    CreditClassPolicy,
    CreditClassPolicyBase,
    CreditHold,
    CreditHoldPublic,
    HoldKind,
    HoldOutcome,
)
from models.sales.order_status import OrderStatus
from models.sales.orders import SalesOrder

# Orders whose value is committed but not yet invoiced count against the limit.
UNINVOICED = (
    OrderStatus.APPROVED,
    OrderStatus.BACKORDERED,
    OrderStatus.AWAITING_SHIPMENT,
    OrderStatus.PARTIALLY_SHIPPED,
    OrderStatus.SHIPPED,
    OrderStatus.PENDING_APPROVAL,
)


class CreditCheckResult(BaseModel):
    """The credit gate's verdict on an amount: within the customer's limit, or why not."""

    passed: bool
    exposure: Decimal
    credit_limit: Decimal
    reasons: list[str] = []
    blocked: bool = False  # overdue beyond the class policy, not just over the limit
    hold_days: int = 14


def class_policy(session: Session, credit_class: str) -> CreditClassPolicyBase:
    found = session.exec(
        select(CreditClassPolicy).where(CreditClassPolicy.credit_class == credit_class)
    ).first()
    return found or DEFAULT_POLICY


def customer_credit(
    session: Session, customer_id: int, as_of: date, exclude_order: int | None = None
) -> CustomerCredit:
    customer = get_customer(session, customer_id)
    policy = class_policy(session, customer.credit_class)
    due_before_policy = as_of - timedelta(days=policy.overdue_days_allowed)
    orders_query = select(func.sum(SalesOrder.total)).where(
        SalesOrder.customer_id == customer_id, col(SalesOrder.status).in_(UNINVOICED)
    )
    if exclude_order is not None:
        orders_query = orders_query.where(SalesOrder.id != exclude_order)
    # Every sum in one statement: a credit decision holds the customer's row while it reads them.
    sums = session.exec(
        select(
            func.sum(Invoice.outstanding),
            func.sum(case((col(Invoice.due_date) < as_of, Invoice.outstanding))),
            func.sum(case((col(Invoice.due_date) < due_before_policy, Invoice.outstanding))),
            orders_query.scalar_subquery(),
        ).where(Invoice.customer_id == customer_id, col(Invoice.outstanding) > 0)
    ).one()
    receivables, overdue, blocking, open_orders = (
        Decimal(value) if value is not None else ZERO for value in sums
    )
    exposure = receivables + open_orders
    if blocking > 0:
        status = CreditStatus.BLOCKED
    elif exposure > customer.credit_limit:
        status = CreditStatus.HOLD
    else:
        status = CreditStatus.OK
    return CustomerCredit(
        customer_id=customer_id,
        credit_limit=customer.credit_limit,
        open_receivables=receivables,
        open_orders=open_orders,
        exposure=exposure,
        available=customer.credit_limit - exposure,
        overdue_amount=overdue,
        overdue_beyond_policy=blocking,
        status=status,
        hold_days=policy.hold_days,
    )


def lock_for_credit_decision(session: Session, customer_id: int) -> None:
    """The customer's row, locked to the end of the transaction for a credit decision (entry,
    amendment, the holds a payment releases), so two decisions see each other. FOR NO KEY
    UPDATE: it does not wait for (or block) the key-share locks that rows referring to the
    customer take when they are inserted, so a payment that inserted its rows before deciding
    never deadlocks with another doing the same."""
    query = select(Customer.id).where(Customer.id == customer_id).with_for_update(key_share=True)
    if session.exec(query).first() is None:
        raise NotFound(f"customer {customer_id} does not exist", field="customer_id")


def check_order_credit(session: Session, order_id: int, as_of: date) -> CreditCheckResult:
    """Does this order fit the customer's limit, next to everything else they owe or ordered?"""
    order = session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(f"order {order_id} does not exist")
    return check_credit(session, order.customer_id, order.total, as_of, exclude_order=order_id)


def check_credit(
    session: Session,
    customer_id: int,
    amount: Decimal,
    as_of: date,
    exclude_order: int | None = None,
) -> CreditCheckResult:
    """The gate for an order of `amount`. The customer's row is locked for the rest of the
    transaction, so two orders checked at the same moment see each other; the lock is taken
    here, at the decision, by commands that commit right after it (order entry, amendment, the
    end of a payment): nothing slow runs while a customer's orders and payments wait for it.
    An order let through that takes the exposure over 90 % of the limit starts the customer's
    credit review."""
    lock_for_credit_decision(session, customer_id)
    credit = customer_credit(session, customer_id, as_of, exclude_order=exclude_order)
    exposure = credit.exposure + amount
    reasons = []
    if exposure > credit.credit_limit:
        reasons.append(f"exposure {exposure} would exceed the credit limit {credit.credit_limit}")
    if credit.overdue_beyond_policy > 0:
        reasons.append(
            f"{credit.overdue_beyond_policy} is overdue beyond what the credit class allows"
        )
    if customer_dunning_hold(session, customer_id):
        reasons.append("a dunning level put the customer's new orders on hold")
    if session.get(CustomerCreditHold, customer_id) is not None:
        reasons.append("a credit review put the customer on credit hold")
    if not reasons:
        review_high_utilisation(
            session,
            customer_id=customer_id,
            exposure=exposure,
            credit_limit=credit.credit_limit,
            on=as_of,
        )
    return CreditCheckResult(
        passed=not reasons,
        exposure=exposure,
        credit_limit=credit.credit_limit,
        reasons=reasons,
        blocked=credit.overdue_beyond_policy > 0,
        hold_days=credit.hold_days,
    )


def open_hold(session: Session, order: SalesOrder, gate: CreditCheckResult) -> None:
    """Keep why the gate held the order; the hold row is closed by whatever ends it."""
    session.add(
        CreditHold(
            order_id=order.id or 0,
            revision=order.revision,
            kind=HoldKind.BLOCKED if gate.blocked else HoldKind.HOLD,
            reasons="; ".join(gate.reasons),
        )
    )


def open_hold_of(session: Session, order_id: int) -> CreditHold | None:
    return session.exec(
        select(CreditHold).where(
            CreditHold.order_id == order_id, CreditHold.outcome == HoldOutcome.OPEN
        )
    ).first()


def close_hold(
    session: Session,
    order_id: int,
    outcome: HoldOutcome,
    at: datetime,
    user: str | None = None,
    comment: str | None = None,
) -> None:
    hold = open_hold_of(session, order_id)
    if hold is None:
        return
    hold.outcome, hold.closed_at, hold.released_by, hold.comment = outcome, at, user, comment
    session.add(hold)


def holds_of(session: Session, order_id: int) -> list[CreditHoldPublic]:
    query = select(CreditHold).where(CreditHold.order_id == order_id).order_by(col(CreditHold.id))
    return [CreditHoldPublic.model_validate(h) for h in session.exec(query).all()]


def customer_dunning_hold(session: Session, customer_id: int) -> bool:
    """Has a dunning level put this customer's new orders on credit hold? True while any
    invoice that reached such a level is still open and not in dispute."""
    held = session.exec(
        select(DunningStep.id)
        .join(Invoice, col(Invoice.id) == col(DunningStep.invoice_id))
        .where(DunningStep.customer_id == customer_id, col(DunningStep.credit_hold))
        .where(col(Invoice.outstanding) > 0, col(Invoice.status).not_in(NOT_DUNNED))
        .limit(1)
    ).first()
    return held is not None
