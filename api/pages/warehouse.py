"""The warehouse's shipments: those to dispatch, those on the way (late ones flagged once their
ETA has passed), and those delivered, from which returns are received."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from activities.fulfilment.returns import shipment_returns
from activities.fulfilment.shipments import list_shipments
from activities.master_data.customers import get_customer
from activities.sales.orders import get_order
from api.deps import DatabaseDep
from api.pages.access import WAREHOUSE
from api.pages.i18n import N_
from api.pages.screens import Screen, screen_of
from models.fields import MAX_ID
from models.fulfilment.returns import ReturnPublic
from models.fulfilment.shipments import ON_THE_WAY, ShipmentPublic, ShipmentStatus

router = APIRouter()
PAGE_SIZE = 50
View = Literal["planned", "dispatched", "in_transit", "delivered"]
VIEWS: dict[str, str] = {
    "planned": N_("To dispatch"),
    "dispatched": N_("Dispatched"),
    "in_transit": N_("In transit"),
    "delivered": N_("Delivered"),
}

# The words for a shipment's and a return's state, as the row shows them.
STATES: dict[str, str] = {
    "planned": N_("planned"),
    "credit_hold": N_("on credit hold"),
    "dispatched": N_("dispatched"),
    "in_transit": N_("in transit"),
    "delivered": N_("delivered"),
    "cancelled": N_("cancelled"),
    "awaiting_credit_note": N_("awaiting a credit note"),
    "credited": N_("credited"),
}


@dataclass(frozen=True)
class ShipmentRow:
    shipment: ShipmentPublic
    order_number: str
    customer: str
    returns: list[ReturnPublic]
    today: date

    @property
    def late(self) -> bool:
        """On the way past the end of its ETA day."""
        eta = self.shipment.eta
        return self.shipment.status in ON_THE_WAY and eta is not None and eta < self.today


def shipment_row(session: Session, shipment: ShipmentPublic, today: date) -> ShipmentRow:
    order = get_order(session, shipment.order_id)
    customer = get_customer(session, order.customer_id)
    returned = (
        shipment_returns(session, shipment.id)
        if shipment.status == ShipmentStatus.DELIVERED
        else []
    )
    return ShipmentRow(shipment, order.number, customer.name, returned, today)


def shipment_rows(
    session: Session, status: ShipmentStatus, offset: int, today: date
) -> tuple[list[ShipmentRow], int]:
    """`GET /shipments?status=`, each with its order number and customer."""
    found, total = list_shipments(session, PAGE_SIZE, offset, status)
    return [shipment_row(session, shipment, today) for shipment in found], total


@router.get("/warehouse", response_class=HTMLResponse)
async def warehouse(
    db: DatabaseDep,
    screen: Annotated[Screen, Depends(screen_of(WAREHOUSE))],
    status: View = "planned",
    offset: int = 0,
) -> HTMLResponse:
    offset = min(max(offset, 0), MAX_ID)
    rows, total = await db.run(shipment_rows, ShipmentStatus(status), offset, date.today())
    context = {
        "rows": rows,
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "view": status,
        "views": VIEWS,
        "states": STATES,
    }
    return screen.show("app/warehouse.html", context)
