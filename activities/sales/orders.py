"""Sales orders: entry, status changes with their timeline, and reading them back."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.master_data.customers import get_customer
from activities.numbering import next_number
from activities.paging import page
from activities.sales.credit import check_credit, close_hold, open_hold
from activities.sales.order_pricing import price_lines
from activities.workflow_outbox import queue_start
from models.errors import Conflict, NotFound
from models.master_data.customers import CustomerStatus
from models.sales.credit_policy import HoldOutcome
from models.sales.messages import ORDER_WORKFLOW, OrderInput, StatusChangeInput
from models.sales.order_requests import OrderCreate
from models.sales.order_status import OrderStatus, StatusStep, step_towards
from models.sales.orders import (
    Approval,
    ApprovalPublic,
    OrderEvent,
    OrderEventPublic,
    OrderLine,
    OrderLinePublic,
    OrderPublic,
    SalesOrder,
)


def get_order(session: Session, order_id: int, *, lock: bool = False) -> SalesOrder:
    query = select(SalesOrder).where(SalesOrder.id == order_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    order = session.exec(query).first() if lock else session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(f"order {order_id} does not exist")
    return order


def order_lines(session: Session, order_id: int) -> list[OrderLine]:
    query = select(OrderLine).where(OrderLine.order_id == order_id).order_by(col(OrderLine.line_no))
    return list(session.exec(query).all())


def to_public(session: Session, order: SalesOrder) -> OrderPublic:
    return all_public(session, [order])[0]


def all_public(session: Session, orders: list[SalesOrder]) -> list[OrderPublic]:
    """The orders with their lines, the lines of all of them read at once."""
    lines: dict[int, list[OrderLinePublic]] = {order.id or 0: [] for order in orders}
    query = (
        select(OrderLine)
        .where(col(OrderLine.order_id).in_(list(lines)))
        .order_by(col(OrderLine.order_id), col(OrderLine.line_no))
    )
    for line in session.exec(query).all() if orders else []:
        lines[line.order_id].append(OrderLinePublic.model_validate(line))
    return [_public(order, lines[order.id or 0]) for order in orders]


def _public(order: SalesOrder, lines: list[OrderLinePublic]) -> OrderPublic:
    return OrderPublic.model_validate(
        order, update={"workflow_id": order.workflow_id, "lines": lines}
    )


def create_order(session: Session, data: OrderCreate, user: str, today: date) -> OrderPublic:
    customer = get_customer(session, data.customer_id)
    if customer.status != CustomerStatus.ACTIVE:
        raise Conflict(f"customer {customer.code} is {customer.status}", field="customer_id")
    lines, totals = price_lines(session, customer, data.lines, today)
    gate = check_credit(session, customer.id or 0, totals.total, today)
    order = SalesOrder(
        number=next_number(session, "SO", today.year),
        customer_id=customer.id or 0,
        status=OrderStatus.PENDING_APPROVAL if gate.passed else OrderStatus.CREDIT_HOLD,
        currency=customer.currency,
        subtotal=totals.net,
        tax=totals.tax,
        total=totals.total,
        requested_date=data.requested_date,
        fulfilment_policy=data.fulfilment_policy,
        order_date=today,
        created_by=user,
    )
    session.add(order)
    session.flush()
    assert order.id is not None
    for line in lines:
        line.order_id = order.id
        session.add(line)
    if not gate.passed:
        open_hold(session, order, gate)
    session.add(OrderEvent(order_id=order.id, kind="created", actor=user, detail=order.number))
    session.add(
        OrderEvent(
            order_id=order.id,
            kind="submitted"
            if gate.passed
            else ("credit_blocked" if gate.blocked else "credit_hold"),
            status=order.status,
            detail="; ".join(gate.reasons)
            or f"exposure {gate.exposure} within {gate.credit_limit}",
        )
    )
    queue_start(
        session,
        workflow_id=order.workflow_id,
        workflow=ORDER_WORKFLOW,
        payload=OrderInput(
            order_id=order.id,
            customer_id=order.customer_id,
            total=order.total,
            status=order.status,
            hold_days=gate.hold_days,
            credit_blocked=gate.blocked,
        ).model_dump(mode="json"),
    )
    session.flush()
    # Its lines are the ones just written: no need to read them back.
    return _public(order, [OrderLinePublic.model_validate(line) for line in lines])


def change_status(session: Session, change: StatusChangeInput) -> None:
    """Move the order to a new status and log it. A step the database already holds (a repeat,
    an earlier run cut short by a crash, or events that arrived before the workflow got here)
    is done: nothing is written twice and the order never goes back (`step_towards`). The row
    is locked so that a late attempt of an earlier step reads what later steps wrote."""
    order = get_order(session, change.order_id, lock=True)
    target = OrderStatus(change.status)
    key = f"order-{change.order_id}/{change.kind}/{target}/{change.at.isoformat()}"
    if session.exec(select(OrderEvent).where(OrderEvent.key == key)).first():
        return
    step = step_towards(order.status, target)
    if step is StatusStep.REFUSED:
        raise Conflict(f"order {order.number} cannot go from {order.status} to {target}")
    if step is StatusStep.ALREADY_DONE or (
        step is StatusStep.STAY and _last_step_is(session, order.id or 0, change.kind, target)
    ):
        return
    order.status = target
    session.add(order)
    if target == OrderStatus.CANCELLED:
        close_hold(session, order.id or 0, HoldOutcome.CANCELLED, change.at)
    session.add(
        OrderEvent(
            order_id=change.order_id,
            kind=change.kind,
            status=target,
            actor=change.actor,
            detail=change.detail,
            key=key,
            at=change.at,
        )
    )


def _last_step_is(session: Session, order_id: int, kind: str, status: OrderStatus) -> bool:
    last = session.exec(
        select(OrderEvent)
        .where(OrderEvent.order_id == order_id, col(OrderEvent.status).is_not(None))
        .order_by(col(OrderEvent.id).desc())
    ).first()
    return last is not None and last.kind == kind and last.status == status


def list_orders(
    session: Session,
    limit: int,
    offset: int,
    status: OrderStatus | None = None,
    customer_id: int | None = None,
    *,
    placed_from: date | None = None,
    placed_to: date | None = None,
    total_min: Decimal | None = None,
    total_max: Decimal | None = None,
) -> tuple[list[OrderPublic], int]:
    """Newest first; each filter given narrows the list (order dates and totals inclusive)."""
    query = select(SalesOrder).order_by(col(SalesOrder.id).desc())
    if status:
        query = query.where(SalesOrder.status == status)
    if customer_id:
        query = query.where(SalesOrder.customer_id == customer_id)
    if placed_from is not None:
        query = query.where(col(SalesOrder.order_date) >= placed_from)
    if placed_to is not None:
        query = query.where(col(SalesOrder.order_date) <= placed_to)
    if total_min is not None:
        query = query.where(col(SalesOrder.total) >= total_min)
    if total_max is not None:
        query = query.where(col(SalesOrder.total) <= total_max)
    rows, total = page(session, query, limit, offset)
    return all_public(session, list(rows)), total


def approvals_of(session: Session, order_id: int) -> list[ApprovalPublic]:
    query = select(Approval).where(Approval.order_id == order_id).order_by(col(Approval.id))
    return [ApprovalPublic.model_validate(a) for a in session.exec(query).all()]


def event(
    session: Session, order_id: int, kind: str, at: datetime, actor: str, detail: str
) -> None:
    """A timeline entry that changes no status (a reminder, an escalation); once per step."""
    key = f"order-{order_id}/{kind}/{at.isoformat()}/{actor}"
    if session.exec(select(OrderEvent).where(OrderEvent.key == key)).first():
        return
    session.add(
        OrderEvent(order_id=order_id, kind=kind, actor=actor, detail=detail, key=key, at=at)
    )


def timeline(session: Session, order_id: int) -> list[OrderEventPublic]:
    get_order(session, order_id)
    query = (
        select(OrderEvent)
        .where(OrderEvent.order_id == order_id)
        .order_by(col(OrderEvent.at), col(OrderEvent.id))
    )
    return [OrderEventPublic.model_validate(e) for e in session.exec(query).all()]
