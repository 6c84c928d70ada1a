"""The credit manager's queue: orders and shipments held for credit, each with its customer,
amount and exposure against the limit; released with a comment (or the order cancelled) through
the same workflow Updates as the API, and the row leaves when the Update is accepted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from activities.fulfilment.shipments import list_shipments
from activities.sales import orders
from activities.sales.credit import open_hold_of
from api.deps import DatabaseDep
from api.pages.access import CREDIT_HOLDS
from api.pages.credit_figures import CreditPosition, credit_position
from api.pages.credit_releases import CANCELLERS
from api.pages.screens import Screen, screen_of
from models.fields import MAX_ID
from models.fulfilment.shipments import ShipmentPublic, ShipmentStatus
from models.sales.credit_policy import CreditHoldPublic
from models.sales.order_status import OrderStatus
from models.sales.orders import OrderPublic

router = APIRouter()
PAGE_SIZE = 50


@dataclass(frozen=True)
class HeldOrder:
    order: OrderPublic
    hold: CreditHoldPublic | None
    position: CreditPosition


@dataclass(frozen=True)
class HeldShipment:
    shipment: ShipmentPublic
    order: OrderPublic
    position: CreditPosition


def held_orders(session: Session, offset: int, today: date) -> tuple[list[HeldOrder], int]:
    """`GET /orders?status=credit_hold`, each with why it is held and its customer's credit."""
    found, total = orders.list_orders(session, PAGE_SIZE, offset, OrderStatus.CREDIT_HOLD)
    rows = []
    for order in found:
        hold = open_hold_of(session, order.id)
        rows.append(
            HeldOrder(
                order,
                CreditHoldPublic.model_validate(hold) if hold else None,
                credit_position(session, order.customer_id, today),
            )
        )
    return rows, total


def held_shipments(session: Session, offset: int, today: date) -> tuple[list[HeldShipment], int]:
    """`GET /shipments?status=credit_hold`, each with its order and its customer's credit."""
    found, total = list_shipments(session, PAGE_SIZE, offset, ShipmentStatus.CREDIT_HOLD)
    rows = []
    for shipment in found:
        order = orders.to_public(session, orders.get_order(session, shipment.order_id))
        rows.append(
            HeldShipment(shipment, order, credit_position(session, order.customer_id, today))
        )
    return rows, total


@router.get("/credit/holds", response_class=HTMLResponse)
async def credit_holds(
    db: DatabaseDep,
    screen: Annotated[Screen, Depends(screen_of(CREDIT_HOLDS))],
    offset: int = 0,
    shipment_offset: int = 0,
) -> HTMLResponse:
    today = date.today()
    offset, shipment_offset = min(max(offset, 0), MAX_ID), min(max(shipment_offset, 0), MAX_ID)
    held, total = await db.run(held_orders, offset, today)
    shipments, shipment_total = await db.run(held_shipments, shipment_offset, today)
    context = {
        "orders": held,
        "total": total,
        "offset": offset,
        "shipments": shipments,
        "shipment_total": shipment_total,
        "shipment_offset": shipment_offset,
        "page_size": PAGE_SIZE,
        "can_cancel": CANCELLERS.allows(screen.user),
    }
    return screen.show("app/credit_holds.html", context)
