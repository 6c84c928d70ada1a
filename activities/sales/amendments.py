"""Amending an order before it ships: the earlier version is kept as a revision, the lines are
priced again and the order goes back through the credit gate (and then approval)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.master_data.customers import get_customer
from activities.sales.approvals import close_open_tasks
from activities.sales.credit import check_credit, close_hold, open_hold
from activities.sales.order_pricing import price_lines
from activities.sales.orders import change_status, get_order, order_lines
from models.errors import Conflict
from models.sales.credit_policy import HoldOutcome
from models.sales.messages import AmendOrderInput, AmendResult, StatusChangeInput
from models.sales.order_requests import OrderAmend
from models.sales.order_status import OrderStatus
from models.sales.orders import OrderLinePublic, OrderRevision, OrderRevisionPublic, SalesOrder

AMENDABLE = (OrderStatus.CREDIT_HOLD, OrderStatus.PENDING_APPROVAL)


def check_amendment(session: Session, order_id: int, data: OrderAmend) -> None:
    """What the API checks before it asks the workflow: the state, and lines that price."""
    order = get_order(session, order_id)
    if order.status not in AMENDABLE:
        raise Conflict(f"order {order.number} is {order.status}: it can no longer be amended")
    price_lines(session, get_customer(session, order.customer_id), data.lines, order.order_date)


def amend_order(session: Session, data: AmendOrderInput) -> AmendResult:
    order = session.exec(
        select(SalesOrder).where(SalesOrder.id == data.order_id).with_for_update()
    ).first() or get_order(session, data.order_id)
    if order.status not in AMENDABLE:
        raise Conflict(f"order {order.number} is {order.status}: it can no longer be amended")
    customer = get_customer(session, order.customer_id)
    lines, totals = price_lines(session, customer, data.order.lines, order.order_date)
    previous = order_lines(session, order.id or 0)
    session.add(
        OrderRevision(
            order_id=order.id or 0,
            revision=order.revision,
            status=order.status,
            subtotal=order.subtotal,
            tax=order.tax,
            total=order.total,
            lines=[OrderLinePublic.model_validate(x).model_dump(mode="json") for x in previous],
            amended_by=data.user,
            amended_at=data.at,
        )
    )
    for line in previous:
        session.delete(line)
    session.flush()
    for line in lines:
        line.order_id = order.id or 0
        session.add(line)
    close_hold(session, order.id or 0, HoldOutcome.AMENDED, data.at, data.user)
    close_open_tasks(session, order.id or 0, data.at)
    before = order.total
    order.subtotal, order.tax, order.total = totals.net, totals.tax, totals.total
    order.revision += 1
    if data.order.requested_date is not None:
        order.requested_date = data.order.requested_date
    session.add(order)
    session.flush()
    gate = check_credit(session, customer.id or 0, totals.total, data.at.date(), order.id)
    target = OrderStatus.PENDING_APPROVAL if gate.passed else OrderStatus.CREDIT_HOLD
    if not gate.passed:
        open_hold(session, order, gate)
    change_status(
        session,
        StatusChangeInput(
            order_id=order.id or 0,
            status=target,
            kind="amended",
            at=data.at,
            actor=data.user,
            detail=f"revision {order.revision}: total {before} -> {order.total}"
            + "".join(f"; {reason}" for reason in gate.reasons),
        ),
    )
    return AmendResult(
        status=target,
        revision=order.revision,
        total=order.total,
        hold_days=gate.hold_days,
        credit_blocked=gate.blocked,
    )


def revisions(session: Session, order_id: int) -> list[OrderRevisionPublic]:
    get_order(session, order_id)
    query = (
        select(OrderRevision)
        .where(OrderRevision.order_id == order_id)
        .order_by(col(OrderRevision.revision))
    )
    return [OrderRevisionPublic.model_validate(r) for r in session.exec(query).all()]
