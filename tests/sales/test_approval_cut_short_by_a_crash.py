"""The worker dies after the approval step wrote its effect (order approved, shipment planned)
and before Temporal recorded the step: the workflow still waits for the decision while the
database is ahead. Simulated deterministically by running the step's database effect first,
then the workflow step (time-skipping server, real database, messages through the relay)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.fulfilment.shipments import dispatch_shipment
from models.errors import Conflict
from models.fulfilment.shipments import DispatchRequest
from models.sales.messages import Decision
from models.sales.order_status import OrderStatus
from models.sales.orders import Approval, OrderPublic, SalesOrder
from tests import factories
from tests.support.orders import (
    invoices_of,
    level_waiting,
    shipments_of,
    status,
    status_of,
)
from tests.support.polling import eventually, reading
from tests.support.workflows import Flow
from workflows.sales.order import OrderWorkflow

APPROVER = Decision(user="approver", roles=["approver"])


async def _cut_short_after_approval(flow: Flow, engine: Engine) -> OrderPublic:
    """An order whose approval step wrote its effect, and whose worker died before Temporal
    recorded it: approved and planned in the database, its workflow still asking."""
    order = factories.widget_order(engine, 2, stock=10)
    await flow.pending_order(order.id)
    await level_waiting(engine, order.id, 1)
    factories.approve(engine, order.id)
    factories.plan_only(engine, order.id)
    assert status(engine, order.id) == "approved"
    return order


def _dispatched_as_the_api_once_allowed(engine: Engine, shipment_id: int) -> None:
    """Before the API checked the order's stage it let the warehouse dispatch such a shipment:
    the same dispatch, with the order's status as it was left."""
    now = datetime.now(UTC)
    request = DispatchRequest(carrier="DHL", tracking_number="JD1", eta=now.date())
    with Session(engine) as session, session.begin():
        order = session.exec(select(SalesOrder)).one()
        order.status = OrderStatus.AWAITING_SHIPMENT
        dispatch_shipment(session, shipment_id, request, "warehouse", now)
        order.status = OrderStatus.APPROVED
        session.add(order)


async def _closes(flow: Flow, engine: Engine, order: OrderPublic) -> None:
    """Dispatch (where still planned), delivery and payment: the order ends closed, paid."""
    handle = flow.order_workflow(order.id)
    [shipment] = shipments_of(engine, order.id)
    if shipment.status == "planned":
        factories.dispatch(engine, shipment.id or 0)
        await flow.relay()
    await eventually(reading(invoices_of, engine, order.id), lambda found: len(found) == 1)
    factories.deliver(engine, shipment.id or 0)
    factories.payment(engine, order.customer_id, "22.00")
    await flow.relay()
    assert (await handle.result()).status == "closed"
    assert status(engine, order.id) == "closed"
    [invoice] = invoices_of(engine, order.id)
    assert (invoice.status, invoice.outstanding) == ("paid", 0)


async def test_order_approved_before_a_crash_moves_on_when_the_decision_comes_again(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order = await _cut_short_after_approval(flow, sqlite_engine)
    [shipment] = shipments_of(sqlite_engine, order.id)
    with pytest.raises(Conflict, match="not ready for dispatch"):
        factories.dispatch(sqlite_engine, shipment.id or 0)

    handle = flow.order_workflow(order.id)
    assert await handle.execute_update(OrderWorkflow.approve, APPROVER) == "approved"

    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "awaiting_shipment")
    assert len(shipments_of(sqlite_engine, order.id)) == 1  # not planned twice
    await _closes(flow, sqlite_engine, order)
    with Session(sqlite_engine) as session:
        assert len(session.exec(select(Approval)).all()) == 1


async def test_a_decision_recorded_before_a_crash_stands_against_a_later_one(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order = await _cut_short_after_approval(flow, sqlite_engine)
    handle = flow.order_workflow(order.id)

    rejection = Decision(user="approver2", roles=["approver"], comment="too late")
    assert await handle.execute_update(OrderWorkflow.reject, rejection) == "approved"

    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "awaiting_shipment")
    await _closes(flow, sqlite_engine, order)


async def test_order_dispatched_before_its_workflow_heard_of_the_approval_still_closes(
    flow: Flow, sqlite_engine: Engine
) -> None:
    """The order once left `approved` for good, its workflow failed with 'cannot go from
    approved to invoiced' while its invoice was issued and paid."""
    order = await _cut_short_after_approval(flow, sqlite_engine)
    [shipment] = shipments_of(sqlite_engine, order.id)
    _dispatched_as_the_api_once_allowed(sqlite_engine, shipment.id or 0)

    handle = flow.order_workflow(order.id)
    await handle.execute_update(OrderWorkflow.approve, APPROVER)

    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "invoiced")
    await _closes(flow, sqlite_engine, order)
