"""OrderWorkflow bills per the customer's invoice policy (time-skipping server, real database,
workflow messages delivered through the outbox relay)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import WorkflowHandle

from activities.sales.orders import get_order, timeline
from models.sales.messages import Decision, OrderResult
from models.sales.orders import OrderPublic
from tests import factories
from tests.support.orders import invoices_of, shipments_of
from tests.support.polling import eventually, reading
from tests.support.receivables import credit_of, current
from tests.support.workflows import Flow
from workflows.sales.order import OrderWorkflow


def _order_for(engine: Engine, policy: str, stock: int = 10) -> OrderPublic:
    """Two widgets (22.00 with tax) for a customer billed `policy`, `stock` on hand."""
    return factories.widget_order(engine, 2, stock=stock, invoice_policy=policy)


def _status(handle: WorkflowHandle[Any, OrderResult]) -> Callable[[], Awaitable[str]]:
    """A probe of the status the order's workflow reports."""
    return lambda: handle.query(OrderWorkflow.current_status)


async def test_on_order_customer_is_invoiced_for_the_ordered_quantities_after_approval(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order = _order_for(sqlite_engine, "on_order")
    handle = await flow.approved_order(order.id)
    invoices = await eventually(
        reading(invoices_of, sqlite_engine, order.id), lambda found: len(found) == 1
    )
    assert invoices[0].total == order.total == Decimal("22.00")
    await eventually(_status(handle), lambda s: s == "awaiting_shipment")
    with Session(sqlite_engine) as session:
        kinds = [e.kind for e in timeline(session, order.id)]
    assert "billed_in_advance" in kinds


async def test_on_delivery_customer_is_invoiced_only_once_the_goods_arrive(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order = _order_for(sqlite_engine, "on_delivery")
    handle = await flow.approved_order(order.id)
    status = _status(handle)
    await eventually(status, lambda s: s == "awaiting_shipment")
    [shipment] = shipments_of(sqlite_engine, order.id)
    factories.dispatch(sqlite_engine, shipment.id or 0)
    await flow.relay()
    await eventually(status, lambda s: s == "shipped")
    assert invoices_of(sqlite_engine, order.id) == []

    factories.deliver(sqlite_engine, shipment.id or 0)
    await flow.relay()
    await eventually(status, lambda s: s == "invoiced")
    [invoice] = invoices_of(sqlite_engine, order.id)
    assert invoice.total == Decimal("22.00")

    factories.payment(sqlite_engine, order.customer_id, "22.00")
    await flow.relay()
    assert (await handle.result()).status == "closed"
    with Session(sqlite_engine) as session:
        assert get_order(session, order.id).status == "closed"


async def test_cancelled_order_that_was_billed_in_advance_is_credited_in_full(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order = _order_for(sqlite_engine, "on_order", stock=0)
    handle = await flow.approved_order(order.id)
    await eventually(_status(handle), lambda s: s == "backordered")
    [billed] = invoices_of(sqlite_engine, order.id)
    factories.payment(sqlite_engine, order.customer_id, "5.00")

    await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="no stock"))
    assert (await handle.result()).status == "cancelled"
    after = current(sqlite_engine, billed.id or 0)
    assert (after.credited, after.outstanding) == (Decimal("17.00"), 0)
    assert credit_of(sqlite_engine, order.customer_id) == Decimal("5.00")
