"""Shipments: planned from what an order holds (per its policy), held when the customer's
credit is blocked, dispatched (goods issued from stock) and delivered."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.fulfilment.reservations import HeldKey, held_by_order, reserved_by_line
from activities.fulfilment.stock_ledger import lock_levels, record_move
from activities.master_data.customers import get_customer
from activities.paging import page
from activities.sales.credit import customer_credit
from activities.sales.orders import get_order, order_lines
from activities.workflow_outbox import queue_signal
from models.errors import Conflict, InvalidInput, NotFound
from models.fulfilment.policy import FulfilmentPolicy, may_plan
from models.fulfilment.shipments import (
    OPEN_SHIPMENT,
    DispatchRequest,
    Shipment,
    ShipmentLine,
    ShipmentLinePublic,
    ShipmentPublic,
    ShipmentStatus,
)
from models.fulfilment.stock import MoveKind
from models.master_data.customers import CreditStatus
from models.sales.messages import SHIPMENT_EVENT_SIGNAL, ShipmentEvent
from models.sales.order_status import SHIPPING
from models.sales.orders import OrderEvent, SalesOrder
from models.workflow_ids import shipment_event_id, shipment_workflow_id


def get_shipment(session: Session, shipment_id: int, *, lock: bool = False) -> Shipment:
    query = select(Shipment).where(Shipment.id == shipment_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    shipment = session.exec(query).first()
    if shipment is None:
        raise NotFound(f"shipment {shipment_id} does not exist")
    return shipment


def shipment_lines(session: Session, shipment_id: int) -> list[ShipmentLine]:
    query = select(ShipmentLine).where(ShipmentLine.shipment_id == shipment_id)
    return list(session.exec(query.order_by(col(ShipmentLine.id))).all())


def shipment_public(session: Session, shipment_id: int) -> ShipmentPublic:
    return to_public(session, get_shipment(session, shipment_id))


def to_public(session: Session, shipment: Shipment) -> ShipmentPublic:
    lines = [
        ShipmentLinePublic(sku=line.sku, quantity=line.quantity)
        for line in shipment_lines(session, shipment.id or 0)
    ]
    return ShipmentPublic.model_validate(shipment, update={"lines": lines})


def order_shipments(session: Session, order_id: int) -> list[Shipment]:
    query = select(Shipment).where(Shipment.order_id == order_id).order_by(col(Shipment.id))
    return list(session.exec(query).all())


def _planned(session: Session, order_id: int) -> dict[HeldKey, Decimal]:
    """What open (not yet dispatched) shipments already carry, per order line and warehouse."""
    rows = session.exec(
        select(ShipmentLine, Shipment)
        .join(Shipment, col(Shipment.id) == col(ShipmentLine.shipment_id))
        .where(Shipment.order_id == order_id, col(Shipment.status).in_(OPEN_SHIPMENT))
    ).all()
    planned: dict[HeldKey, Decimal] = defaultdict(Decimal)
    for line, shipment in rows:
        planned[(line.order_line_id, shipment.warehouse)] += line.quantity
    return planned


def credit_hold_reason(
    session: Session, order: SalesOrder, at: datetime, recheck_classes: list[str]
) -> str | None:
    """The dispatch-time credit check, for customers whose credit class asks for it."""
    customer = get_customer(session, order.customer_id)
    if "*" not in recheck_classes and customer.credit_class not in recheck_classes:
        return None
    credit = customer_credit(session, order.customer_id, at.date())
    if credit.status == CreditStatus.BLOCKED:
        return f"customer credit blocked: {credit.overdue_amount} overdue"
    return None


def plan_shipments(
    session: Session, order: SalesOrder, at: datetime, recheck_classes: list[str]
) -> None:
    """Put what the order holds and no shipment carries yet into new shipments, one per
    warehouse, when the order's policy lets it ship now."""
    lines = order_lines(session, order.id or 0)
    claimed = reserved_by_line(session, [line.id or 0 for line in lines])
    fully_reserved = all(claimed.get(line.id or 0, Decimal(0)) >= line.quantity for line in lines)
    if not may_plan(FulfilmentPolicy(order.fulfilment_policy), fully_reserved):
        return
    planned = _planned(session, order.id or 0)
    by_warehouse: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    for (line_id, warehouse), held in sorted(held_by_order(session, order.id or 0).items()):
        unplanned = held - planned.get((line_id, warehouse), Decimal(0))
        if unplanned > 0:
            by_warehouse[warehouse].append((line_id, unplanned))
    if not by_warehouse:
        return
    hold = credit_hold_reason(session, order, at, recheck_classes)
    skus = {line.id: line.sku for line in lines}
    number = len(order_shipments(session, order.id or 0))
    for warehouse, items in sorted(by_warehouse.items()):
        number += 1
        shipment = Shipment(
            order_id=order.id or 0,
            warehouse=warehouse,
            key=f"order-{order.id}/shipment/{number}",
            status=ShipmentStatus.CREDIT_HOLD if hold else ShipmentStatus.PLANNED,
            hold_reason=hold,
            created_at=at,
        )
        session.add(shipment)
        session.flush()
        for line_id, quantity in items:
            session.add(
                ShipmentLine(
                    shipment_id=shipment.id or 0,
                    order_line_id=line_id,
                    sku=skus[line_id],
                    quantity=quantity,
                )
            )
        detail = f"shipment {shipment.id} from {warehouse}" + (f": held, {hold}" if hold else "")
        session.add(
            OrderEvent(order_id=order.id or 0, kind="shipment_planned", detail=detail, at=at)
        )


def cancel_open_shipments(session: Session, order_id: int, at: datetime, why: str) -> list[int]:
    cancelled = []
    for shipment in order_shipments(session, order_id):
        if shipment.status in OPEN_SHIPMENT:
            shipment.status = ShipmentStatus.CANCELLED
            shipment.hold_reason = why
            session.add(shipment)
            cancelled.append(shipment.id or 0)
    return cancelled


def signal_shipment(session: Session, shipment_id: int, event: ShipmentEvent) -> None:
    queue_signal(
        session,
        key=f"signal:{event.event_id}",
        workflow_id=shipment_workflow_id(shipment_id),
        signal=SHIPMENT_EVENT_SIGNAL,
        payload=event.model_dump(mode="json"),
    )


def dispatch_shipment(
    session: Session, shipment_id: int, data: DispatchRequest, user: str, now: datetime
) -> ShipmentPublic:
    shipment = get_shipment(session, shipment_id, lock=True)
    if shipment.status == ShipmentStatus.CREDIT_HOLD:
        raise Conflict(
            f"shipment {shipment_id} is on credit hold ({shipment.hold_reason}): "
            "a credit manager must release it first"
        )
    if shipment.status != ShipmentStatus.PLANNED:
        raise Conflict(f"shipment {shipment_id} is {shipment.status}, not planned")
    order = get_order(session, shipment.order_id)
    if order.status not in SHIPPING:
        raise Conflict(
            f"shipment {shipment_id} is not ready for dispatch: order {order.number} is "
            f"{order.status} and has not taken the shipment up yet; try again shortly"
        )
    if data.eta < now.date():
        raise InvalidInput("eta must not be before the dispatch date", field="eta")
    items = shipment_lines(session, shipment_id)
    levels = lock_levels(session, [item.sku for item in items])
    by_id = {line.id: line for line in order_lines(session, shipment.order_id)}
    for item in items:
        record_move(
            session,
            levels[(item.sku, shipment.warehouse)],
            MoveKind.ISSUE,
            item.quantity,
            key=f"shipment-{shipment_id}/issue/{item.id}",
            order_id=shipment.order_id,
            order_line_id=item.order_line_id,
            shipment_id=shipment_id,
            created_by=user,
        )
        order_line = by_id[item.order_line_id]
        order_line.shipped_quantity += item.quantity
        session.add(order_line)
    shipment.status = ShipmentStatus.DISPATCHED
    shipment.carrier = data.carrier
    shipment.tracking_number = data.tracking_number
    shipment.eta = data.eta
    shipment.dispatched_at = now
    session.add(shipment)
    detail = f"shipment {shipment_id}: {data.carrier} {data.tracking_number}, ETA {data.eta}"
    session.add(
        OrderEvent(order_id=shipment.order_id, kind="dispatched", actor=user, detail=detail, at=now)
    )
    event_id = shipment_event_id(shipment_id, "dispatched")
    signal_shipment(
        session,
        shipment_id,
        ShipmentEvent(event_id=event_id, shipment_id=shipment_id, kind="dispatched", at=now),
    )
    return to_public(session, shipment)


def mark_delivered(
    session: Session, shipment: Shipment, delivered_at: datetime, actor: str
) -> None:
    if shipment.dispatched_at and delivered_at < shipment.dispatched_at:
        raise InvalidInput("delivered_at is before the dispatch", field="delivered_at")
    shipment.status = ShipmentStatus.DELIVERED
    shipment.delivered_at = delivered_at
    session.add(shipment)
    session.add(
        OrderEvent(
            order_id=shipment.order_id,
            kind="delivered",
            actor=actor,
            detail=f"shipment {shipment.id}",
            at=delivered_at,
        )
    )
    event = ShipmentEvent(
        event_id=shipment_event_id(shipment.id, "delivered"),
        shipment_id=shipment.id or 0,
        kind="delivered",
        at=delivered_at,
    )
    signal_shipment(session, shipment.id or 0, event)


def deliver_shipment(
    session: Session, shipment_id: int, delivered_at: datetime, user: str
) -> ShipmentPublic:
    shipment = get_shipment(session, shipment_id, lock=True)
    if shipment.status == ShipmentStatus.DELIVERED:
        raise Conflict(f"shipment {shipment_id} is already delivered")
    if shipment.status not in (ShipmentStatus.DISPATCHED, ShipmentStatus.IN_TRANSIT):
        raise Conflict(f"shipment {shipment_id} is {shipment.status}: dispatch it first")
    mark_delivered(session, shipment, delivered_at, user)
    return to_public(session, shipment)


def release_credit_hold(
    session: Session, shipment_id: int, user: str, comment: str, at: datetime
) -> ShipmentPublic:
    shipment = get_shipment(session, shipment_id, lock=True)
    if shipment.status != ShipmentStatus.CREDIT_HOLD:
        raise Conflict(f"shipment {shipment_id} is {shipment.status}, not on credit hold")
    shipment.status = ShipmentStatus.PLANNED
    shipment.hold_reason = None
    session.add(shipment)
    detail = f"shipment {shipment_id}: {comment}"
    session.add(
        OrderEvent(
            order_id=shipment.order_id,
            kind="shipment_released",
            actor=user,
            detail=detail,
            at=at,
        )
    )
    return to_public(session, shipment)


def list_shipments(
    session: Session,
    limit: int,
    offset: int,
    status: ShipmentStatus | None = None,
    order_id: int | None = None,
) -> tuple[list[ShipmentPublic], int]:
    query = select(Shipment).order_by(col(Shipment.id).desc())
    if status:
        query = query.where(Shipment.status == status)
    if order_id:
        query = query.where(Shipment.order_id == order_id)
    rows, total = page(session, query, limit, offset)
    return [to_public(session, s) for s in rows], total
