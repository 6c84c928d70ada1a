"""Shipments: planned from an order's reserved lines, dispatched, tracked and delivered."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from activities.orders import get_order, order_lines
from activities.paging import page
from activities.stock import issue_shipped
from activities.workflow_outbox import queue_signal
from models.errors import Conflict, NotFound
from models.orders import OrderEvent
from models.shipments import (
    DispatchRequest,
    Shipment,
    ShipmentLine,
    ShipmentLinePublic,
    ShipmentPublic,
    ShipmentStatus,
    TrackingEvent,
    TrackingRequest,
)
from models.workflow_messages import ShipmentEvent

SHIPMENT_EVENT_SIGNAL = "shipment_event"


def get_shipment(session: Session, shipment_id: int) -> Shipment:
    shipment = session.get(Shipment, shipment_id)
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


def plan_shipment(session: Session, order_id: int) -> int:
    """One shipment of every open order line; the same order step always gives the same one."""
    key = f"order-{order_id}/shipment/1"
    existing = session.exec(select(Shipment).where(Shipment.key == key)).first()
    if existing is not None:
        return existing.id or 0
    get_order(session, order_id)
    shipment = Shipment(order_id=order_id, key=key)
    session.add(shipment)
    session.flush()
    assert shipment.id is not None
    for line in order_lines(session, order_id):
        session.add(
            ShipmentLine(
                shipment_id=shipment.id,
                order_line_id=line.id or 0,
                sku=line.sku,
                quantity=line.quantity - line.shipped_quantity,
            )
        )
    return shipment.id


def _signal(session: Session, shipment: Shipment, event: ShipmentEvent) -> None:
    queue_signal(
        session,
        key=f"signal:{event.event_id}",
        workflow_id=f"shipment-{shipment.id}",
        signal=SHIPMENT_EVENT_SIGNAL,
        payload=event.model_dump(mode="json"),
    )


def dispatch_shipment(
    session: Session, shipment_id: int, data: DispatchRequest, user: str, now: datetime
) -> ShipmentPublic:
    shipment = get_shipment(session, shipment_id)
    if shipment.status != ShipmentStatus.PLANNED:
        raise Conflict(f"shipment {shipment_id} is {shipment.status}, not planned")
    shipment.status = ShipmentStatus.DISPATCHED
    shipment.carrier = data.carrier
    shipment.tracking_number = data.tracking_number
    shipment.eta = data.eta
    shipment.dispatched_at = now
    session.add(shipment)
    order = get_order(session, shipment.order_id)
    lines = {line.id: line for line in order_lines(session, order.id or 0)}
    for item in shipment_lines(session, shipment_id):
        order_line = lines[item.order_line_id]
        order_line.shipped_quantity += item.quantity
        session.add(order_line)
        issue_shipped(
            session, order.id or 0, item.sku, item.quantity, key=f"shipment-{shipment_id}/{item.id}"
        )
    detail = f"{data.carrier} {data.tracking_number}, ETA {data.eta}"
    session.add(
        OrderEvent(order_id=shipment.order_id, kind="dispatched", actor=user, detail=detail, at=now)
    )
    _signal(
        session,
        shipment,
        ShipmentEvent(
            event_id=f"shipment-{shipment_id}/dispatched",
            shipment_id=shipment_id,
            kind="dispatched",
            at=now,
            detail=detail,
        ),
    )
    return to_public(session, shipment)


def record_tracking(
    session: Session, shipment_id: int, data: TrackingRequest, now: datetime
) -> ShipmentPublic:
    shipment = get_shipment(session, shipment_id)
    if session.exec(select(TrackingEvent).where(TrackingEvent.event_id == data.event_id)).first():
        return to_public(session, shipment)
    if shipment.status == ShipmentStatus.PLANNED:
        raise Conflict(f"shipment {shipment_id} has not been dispatched")
    session.add(
        TrackingEvent(
            shipment_id=shipment_id,
            event_id=data.event_id,
            status=data.status,
            location=data.location,
            eta=data.eta,
            received_at=now,
        )
    )
    if data.eta:
        shipment.eta = data.eta
    if shipment.status == ShipmentStatus.DISPATCHED:
        shipment.status = ShipmentStatus.IN_TRANSIT
    session.add(shipment)
    return to_public(session, shipment)


def deliver_shipment(
    session: Session, shipment_id: int, delivered_at: datetime, user: str
) -> ShipmentPublic:
    shipment = get_shipment(session, shipment_id)
    if shipment.status == ShipmentStatus.DELIVERED:
        raise Conflict(f"shipment {shipment_id} is already delivered")
    if shipment.status not in (ShipmentStatus.DISPATCHED, ShipmentStatus.IN_TRANSIT):
        raise Conflict(f"shipment {shipment_id} is {shipment.status}: dispatch it first")
    shipment.status = ShipmentStatus.DELIVERED
    shipment.delivered_at = delivered_at
    session.add(shipment)
    session.add(
        OrderEvent(order_id=shipment.order_id, kind="delivered", actor=user, at=delivered_at)
    )
    _signal(
        session,
        shipment,
        ShipmentEvent(
            event_id=f"shipment-{shipment_id}/delivered",
            shipment_id=shipment_id,
            kind="delivered",
            at=delivered_at,
        ),
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
