"""Carrier tracking webhooks: each event stored once (by event_id); an event older than the
newest one applied is kept for the record but never overwrites the newer status. A `delivered`
event delivers the shipment, whenever it arrives."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from activities.fulfilment.shipments import get_shipment, mark_delivered, signal_shipment, to_public
from models.errors import Conflict
from models.fulfilment.shipments import (
    ON_THE_WAY,
    CarrierStatus,
    ShipmentPublic,
    ShipmentStatus,
    TrackingEvent,
    TrackingEventPublic,
    TrackingRequest,
)
from models.sales.messages import ShipmentEvent
from models.workflow_ids import shipment_event_id


def record_tracking(
    session: Session,
    shipment_id: int,
    data: TrackingRequest,
    now: datetime,
    sent_by: str | None = None,
) -> ShipmentPublic:
    """`sent_by`: `carrier:<name>` or the username of whoever posted the event."""
    shipment = get_shipment(session, shipment_id, lock=True)
    seen = session.exec(
        select(TrackingEvent).where(TrackingEvent.event_id == data.event_id)
    ).first()
    if seen is not None:
        if seen.shipment_id != shipment_id:
            raise Conflict(f"event {data.event_id!r} belongs to shipment {seen.shipment_id}")
        return to_public(session, shipment)  # a resent event: already known, nothing changes
    if shipment.status not in (*ON_THE_WAY, ShipmentStatus.DELIVERED):
        raise Conflict(f"shipment {shipment_id} is {shipment.status}: it has not been dispatched")
    occurred = data.occurred_at or now
    newest = shipment.last_event_at is None or occurred >= shipment.last_event_at
    delivers = (
        data.status == CarrierStatus.DELIVERED and shipment.status != ShipmentStatus.DELIVERED
    )
    applied = delivers or (newest and shipment.status != ShipmentStatus.DELIVERED)
    session.add(
        TrackingEvent(
            shipment_id=shipment_id,
            event_id=data.event_id,
            status=data.status,
            location=data.location,
            eta=data.eta,
            occurred_at=occurred,
            received_at=now,
            applied=applied,
            sent_by=sent_by,
        )
    )
    if not applied:
        return to_public(session, shipment)
    shipment.carrier_status = data.status
    shipment.location = data.location or shipment.location
    shipment.last_event_at = max(occurred, shipment.last_event_at or occurred)
    if data.eta:
        shipment.eta = data.eta
    if delivers:
        mark_delivered(session, shipment, occurred, actor="carrier")
        return to_public(session, shipment)
    shipment.status = ShipmentStatus.IN_TRANSIT
    session.add(shipment)
    # Wakes the shipment's workflow: a new ETA moves its late-delivery timer.
    event = ShipmentEvent(
        event_id=shipment_event_id(shipment_id, f"tracking/{data.event_id}"),
        shipment_id=shipment_id,
        kind="tracking",
        at=occurred,
    )
    signal_shipment(session, shipment_id, event)
    return to_public(session, shipment)


def tracking_history(session: Session, shipment_id: int) -> list[TrackingEventPublic]:
    get_shipment(session, shipment_id)
    query = (
        select(TrackingEvent)
        .where(TrackingEvent.shipment_id == shipment_id)
        .order_by(col(TrackingEvent.occurred_at), col(TrackingEvent.id))
    )
    return [TrackingEventPublic.model_validate(e) for e in session.exec(query).all()]
