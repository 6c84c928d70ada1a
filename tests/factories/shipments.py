"""Shipments planned for approved orders, with their stock reserved, as fulfilment plans them;
dispatched and delivered by the warehouse."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.fulfilment.planning import plan_fulfilment
from activities.fulfilment.shipments import deliver_shipment, dispatch_shipment
from activities.sales.orders import change_status, get_order
from models.fulfilment.messages import FulfilmentInput, FulfilmentPlan
from models.fulfilment.shipments import DispatchRequest
from models.sales.messages import StatusChangeInput
from models.sales.order_status import OrderStatus, StatusStep, step_towards
from o2c.settings import Settings
from o2c.worker import fulfilment_config
from tests.factories.orders import approve, widget_order

_KIND = {"backordered": "backordered", "awaiting_shipment": "shipment_planned"}


def plan_only(engine: Engine, order_id: int, at: datetime | None = None) -> FulfilmentPlan:
    """The planning step's own effect (reserved, shipments planned) with the order not yet
    showing it: what a run of the workflow that a crash cut short leaves behind."""
    with Session(engine) as session, session.begin():
        return plan_fulfilment(
            session,
            FulfilmentInput(order_id=order_id, at=at or datetime.now(UTC)),
            fulfilment_config(Settings()),
            reserve_now=True,
        )


def plan(engine: Engine, order_id: int, at: datetime | None = None) -> FulfilmentPlan:
    """Reserves what is on hand for the order and plans its shipments; an approved order then
    shows where fulfilment stands, as its workflow shows it once it has taken them up."""
    at = at or datetime.now(UTC)
    planned = plan_only(engine, order_id, at)
    target = OrderStatus(planned.status)
    with Session(engine) as session, session.begin():
        if step_towards(get_order(session, order_id).status, target) is not StatusStep.REFUSED:
            kind = _KIND.get(target, target)
            change = StatusChangeInput(order_id=order_id, status=target, kind=kind, at=at)
            change_status(session, change)
    return planned


def planned_order(engine: Engine, quantity: int = 2, stock: int = 5) -> FulfilmentPlan:
    """ACME's approved order of `quantity` widgets out of `stock`, planned for shipment."""
    placed = widget_order(engine, quantity, stock=stock)
    approve(engine, placed.id)
    return plan(engine, placed.id)


def dispatch(engine: Engine, shipment_id: int, eta: date | None = None) -> None:
    """The warehouse hands the shipment to DHL now, expected on `eta` (today unless given)."""
    now = datetime.now(UTC)
    request = DispatchRequest(
        carrier="DHL", tracking_number=f"JD{shipment_id}", eta=eta or now.date()
    )
    with Session(engine) as session, session.begin():
        dispatch_shipment(session, shipment_id, request, "warehouse", now)


def deliver(engine: Engine, shipment_id: int) -> None:
    """The warehouse records the shipment delivered now."""
    with Session(engine) as session, session.begin():
        deliver_shipment(session, shipment_id, datetime.now(UTC), "warehouse")
