"""Shipments: warehouse dispatch, carrier tracking webhooks, delivery confirmation."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request

from activities import shipments
from api.deps import CurrentUser, DatabaseDep, PagingDep, reader, require
from api.listing import Page
from models.shipments import (
    DeliverRequest,
    DispatchRequest,
    ShipmentPublic,
    ShipmentStatus,
    TrackingRequest,
)
from models.users import Role

router = APIRouter(prefix="/shipments", tags=["shipments"])
READERS = reader(Role.WAREHOUSE, Role.SALES, Role.FINANCE)
WAREHOUSE = require(Role.WAREHOUSE)


@router.get("", dependencies=[READERS])
async def list_shipments(
    db: DatabaseDep,
    paging: PagingDep,
    status: ShipmentStatus | None = None,
    order_id: int | None = None,
) -> Page[ShipmentPublic]:
    items, total = await db.run(
        shipments.list_shipments, paging.limit, paging.offset, status, order_id
    )
    return Page(items=items, total=total)


@router.get("/{shipment_id}", dependencies=[READERS])
async def get_shipment(shipment_id: int, db: DatabaseDep) -> ShipmentPublic:
    return await db.run(shipments.shipment_public, shipment_id)


@router.post("/{shipment_id}/dispatch", dependencies=[WAREHOUSE])
async def dispatch(
    shipment_id: int, body: DispatchRequest, db: DatabaseDep, user: CurrentUser, request: Request
) -> ShipmentPublic:
    now = datetime.now(UTC)
    result = await db.run(shipments.dispatch_shipment, shipment_id, body, user.username, now)
    await request.app.state.temporal.flush_outbox()
    return result


@router.post("/{shipment_id}/tracking", dependencies=[WAREHOUSE])
async def tracking(
    shipment_id: int, body: TrackingRequest, db: DatabaseDep, request: Request
) -> ShipmentPublic:
    result = await db.run(shipments.record_tracking, shipment_id, body, datetime.now(UTC))
    await request.app.state.temporal.flush_outbox()
    return result


@router.post("/{shipment_id}/deliver", dependencies=[WAREHOUSE])
async def deliver(
    shipment_id: int, body: DeliverRequest, db: DatabaseDep, user: CurrentUser, request: Request
) -> ShipmentPublic:
    at = body.delivered_at or datetime.now(UTC)
    result = await db.run(shipments.deliver_shipment, shipment_id, at, user.username)
    await request.app.state.temporal.flush_outbox()
    return result
