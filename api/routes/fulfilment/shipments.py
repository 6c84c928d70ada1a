"""Shipments: warehouse dispatch, carrier tracking webhooks, delivery confirmation, the credit
manager's release of a held shipment, and returns of delivered goods."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from temporalio.client import Client

from activities.fulfilment import returns, shipments, tracking
from activities.receivables.return_credits import receive_return
from api.carrier_signature import TrackingSender
from api.deps import (
    CommandsDep,
    CurrentUser,
    DatabaseDep,
    FulfilmentSettingsDep,
    PagingDep,
    TemporalDep,
    reader,
    require,
)
from api.listing import Page
from models.fields import IdParam
from models.fulfilment.messages import ShipmentRelease
from models.fulfilment.returns import ReturnCreate, ReturnPublic
from models.fulfilment.shipments import (
    DeliverRequest,
    DispatchRequest,
    ReleaseShipmentRequest,
    ShipmentPublic,
    ShipmentStatus,
    TrackingEventPublic,
    TrackingRequest,
)
from models.security.users import Role, User
from models.workflow_ids import shipment_workflow_id
from workflows.fulfilment.shipment import ShipmentWorkflow

router = APIRouter(prefix="/shipments", tags=["shipments"])
READERS = reader(Role.WAREHOUSE, Role.SALES, Role.FINANCE, Role.CREDIT_MANAGER)
WAREHOUSE = require(Role.WAREHOUSE)


@router.get("", dependencies=[READERS])
async def list_shipments(
    db: DatabaseDep,
    paging: PagingDep,
    status: ShipmentStatus | None = None,
    order_id: IdParam | None = None,
) -> Page[ShipmentPublic]:
    items, total = await db.run(
        shipments.list_shipments, paging.limit, paging.offset, status, order_id
    )
    return Page(items=items, total=total)


@router.get("/{shipment_id}", dependencies=[READERS])
async def get_shipment(shipment_id: IdParam, db: DatabaseDep) -> ShipmentPublic:
    return await db.run(shipments.shipment_public, shipment_id)


@router.post("/{shipment_id}/dispatch", dependencies=[WAREHOUSE])
async def dispatch(
    shipment_id: IdParam, body: DispatchRequest, commands: CommandsDep, user: CurrentUser
) -> ShipmentPublic:
    now = datetime.now(UTC)
    return await commands.run(shipments.dispatch_shipment, shipment_id, body, user.username, now)


@router.post("/{shipment_id}/tracking")  # a warehouse user, or a carrier's signed event
async def track(
    shipment_id: IdParam, body: TrackingRequest, commands: CommandsDep, sender: TrackingSender
) -> ShipmentPublic:
    now = datetime.now(UTC)
    return await commands.run(tracking.record_tracking, shipment_id, body, now, sender)


@router.get("/{shipment_id}/tracking", dependencies=[READERS])
async def tracking_history(shipment_id: IdParam, db: DatabaseDep) -> list[TrackingEventPublic]:
    return await db.run(tracking.tracking_history, shipment_id)


@router.post("/{shipment_id}/deliver", dependencies=[WAREHOUSE])
async def deliver(
    shipment_id: IdParam, body: DeliverRequest, commands: CommandsDep, user: CurrentUser
) -> ShipmentPublic:
    at = body.delivered_at or datetime.now(UTC)
    return await commands.run(shipments.deliver_shipment, shipment_id, at, user.username)


@router.post("/{shipment_id}/release-credit-hold", dependencies=[require(Role.CREDIT_MANAGER)])
async def release_credit_hold(
    shipment_id: IdParam,
    body: ReleaseShipmentRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> ShipmentPublic:
    return await release_shipment_hold(db, temporal, shipment_id, user, body.comment)


async def release_shipment_hold(
    db: DatabaseDep, temporal: Client, shipment_id: int, user: User, comment: str
) -> ShipmentPublic:
    """A credit manager's release of a held shipment, sent to its workflow: the one path of the
    API and the pages."""
    await db.run(shipments.get_shipment, shipment_id)
    release = ShipmentRelease(user=user.username, comment=comment)
    handle = temporal.get_workflow_handle(shipment_workflow_id(shipment_id))
    await handle.execute_update(ShipmentWorkflow.release_credit_hold, release)
    return await db.run(shipments.shipment_public, shipment_id)


@router.post("/{shipment_id}/returns", status_code=201, dependencies=[WAREHOUSE])
async def record_return(
    shipment_id: IdParam,
    body: ReturnCreate,
    commands: CommandsDep,
    user: CurrentUser,
    fulfilment: FulfilmentSettingsDep,
) -> ReturnPublic:
    now = datetime.now(UTC)
    return await commands.run(
        receive_return,
        shipment_id,
        body,
        user.username,
        now,
        fulfilment.reservation_days,
    )


@router.get("/{shipment_id}/returns", dependencies=[READERS])
async def list_returns(shipment_id: IdParam, db: DatabaseDep) -> list[ReturnPublic]:
    return await db.run(returns.shipment_returns, shipment_id)
