"""Dispatch, delivery and payment arrive in any order the API allows, close together (all
written before the workflow hears of any) or one by one (each relayed before the next is
written): the order still ends closed with its invoice paid (time-skipping server, real
database, messages through the outbox relay). The stuck order of issue 11 (PostgreSQL, dispatch,
payment and delivery close together: `cannot go from awaiting_shipment to delivered`) is the
first kind; `step_towards` (models/sales/order_status.py) catches the order up."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine

from models.sales.orders import OrderPublic
from tests import factories
from tests.support.orders import invoices_of, planned_shipments, status
from tests.support.polling import eventually, reading
from tests.support.workflows import Flow

Event = Callable[[Engine, OrderPublic, int], None]


def dispatch(engine: Engine, order: OrderPublic, shipment_id: int) -> None:
    factories.dispatch(engine, shipment_id)


def deliver(engine: Engine, order: OrderPublic, shipment_id: int) -> None:
    factories.deliver(engine, shipment_id)


def pay(engine: Engine, order: OrderPublic, shipment_id: int) -> None:
    factories.payment(engine, order.customer_id, "22.00")


# Delivery needs a dispatch first; a payment needs an invoice to settle (billed on order: at
# once; on shipment: once dispatched; on delivery: once delivered).
ORDERS_OF_EVENTS = [
    ("on_order", (pay, dispatch, deliver)),
    ("on_order", (dispatch, pay, deliver)),
    ("on_order", (dispatch, deliver, pay)),
    ("on_shipment", (dispatch, pay, deliver)),
    ("on_shipment", (dispatch, deliver, pay)),
    ("on_delivery", (dispatch, deliver, pay)),
]


def _ids(case: tuple[str, tuple[Event, ...]]) -> str:
    policy, events = case
    return f"{policy}:" + ",".join(event.__name__ for event in events)


@pytest.mark.parametrize("heard", ["together", "one_by_one"])
@pytest.mark.parametrize("case", ORDERS_OF_EVENTS, ids=_ids)
async def test_order_closes_with_its_invoice_paid_whatever_the_order_of_events(
    flow: Flow, sqlite_engine: Engine, case: tuple[str, tuple[Event, ...]], heard: str
) -> None:
    policy, events = case
    order = factories.widget_order(sqlite_engine, 2, stock=10, invoice_policy=policy)
    handle = await flow.approved_order(order.id)
    [shipment] = await planned_shipments(sqlite_engine, order.id)
    await eventually(reading(status, sqlite_engine, order.id), lambda s: s == "awaiting_shipment")
    for event in events:
        if event is pay and not invoices_of(sqlite_engine, order.id):
            # The invoice is issued by the workflow once it hears what came before.
            await flow.relay()
            await eventually(
                reading(invoices_of, sqlite_engine, order.id), lambda found: len(found) == 1
            )
        event(sqlite_engine, order, shipment.id or 0)
        if heard == "one_by_one":
            await flow.relay()
    await flow.relay()

    assert (await handle.result()).status == "closed"
    assert status(sqlite_engine, order.id) == "closed"
    [invoice] = invoices_of(sqlite_engine, order.id)
    assert (invoice.status, invoice.outstanding) == ("paid", 0)
