"""OrderWorkflow bills per the customer's invoice policy (time-skipping server, real database,
workflow messages delivered through the outbox relay)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.fulfilment.shipments import deliver_shipment, dispatch_shipment
from activities.master_data.customers import update_customer
from activities.sales.orders import get_order, timeline
from models.fulfilment.shipments import DispatchRequest, Shipment
from models.master_data.customers import CustomerUpdate
from models.receivables.invoices import Invoice
from models.sales.messages import Decision, OrderInput
from models.sales.orders import OrderPublic
from o2c.relay import relay_once
from tests import factories
from tests.helpers import eventually
from tests.receivables import credit_of, current, pay
from workflows.sales.order import OrderWorkflow


def _order_for(engine: Engine, policy: str) -> OrderPublic:
    customer = factories.customer(engine)
    with Session(engine) as session, session.begin():
        update_customer(session, customer.id, CustomerUpdate(invoice_policy=policy))
    factories.product(engine, stock=10)
    return factories.order(engine, customer.id, quantity=2)


async def _approved(env: WorkflowEnvironment, worker: Worker, order: OrderPublic) -> WorkflowHandle:
    handle = await env.client.start_workflow(
        OrderWorkflow.run,
        OrderInput(order_id=order.id, customer_id=order.customer_id, total=order.total),
        id=f"order-{order.id}-{worker.task_queue}",
        task_queue=worker.task_queue,
    )
    await eventually(_status(env, order.id, handle), lambda s: s == "pending_approval")
    await handle.execute_update(
        OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
    )
    return handle


def _status(env: WorkflowEnvironment, order_id: int, handle: WorkflowHandle):  # type: ignore[no-untyped-def]
    async def probe() -> str | None:
        return await handle.query(OrderWorkflow.current_status)

    return probe


def _invoices(engine: Engine, order_id: int) -> list[Invoice]:
    with Session(engine) as session:
        return list(session.exec(select(Invoice).where(Invoice.order_id == order_id)).all())


def _shipment_id(engine: Engine, order_id: int) -> int:
    with Session(engine) as session:
        shipment = session.exec(select(Shipment).where(Shipment.order_id == order_id)).one()
        return shipment.id or 0


async def _relay(env: WorkflowEnvironment, engine: Engine, worker: Worker) -> None:
    await relay_once(env.client, engine, worker.task_queue)


async def test_on_order_customer_is_invoiced_for_the_ordered_quantities_after_approval(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    order = _order_for(sqlite_engine, "on_order")
    handle = await _approved(time_skipping_env, worker, order)
    invoices = await eventually(
        lambda: _async(_invoices(sqlite_engine, order.id)), lambda found: len(found) == 1
    )
    assert invoices[0].total == order.total == Decimal("22.00")
    await eventually(
        _status(time_skipping_env, order.id, handle), lambda s: s == "awaiting_shipment"
    )
    with Session(sqlite_engine) as session:
        kinds = [e.kind for e in timeline(session, order.id)]
    assert "billed_in_advance" in kinds
    await handle.terminate("test done")


async def test_on_delivery_customer_is_invoiced_only_once_the_goods_arrive(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    order = _order_for(sqlite_engine, "on_delivery")
    handle = await _approved(time_skipping_env, worker, order)
    status = _status(time_skipping_env, order.id, handle)
    await eventually(status, lambda s: s == "awaiting_shipment")
    shipment_id = _shipment_id(sqlite_engine, order.id)
    now = datetime.now(UTC)
    with Session(sqlite_engine) as session, session.begin():
        dispatch_shipment(
            session,
            shipment_id,
            DispatchRequest(carrier="DHL", tracking_number="T1", eta=now.date()),
            "warehouse",
            now,
        )
    await _relay(time_skipping_env, sqlite_engine, worker)
    await eventually(status, lambda s: s == "shipped")
    assert _invoices(sqlite_engine, order.id) == []

    with Session(sqlite_engine) as session, session.begin():
        deliver_shipment(session, shipment_id, now, "warehouse")
    await _relay(time_skipping_env, sqlite_engine, worker)
    await eventually(status, lambda s: s == "invoiced")
    [invoice] = _invoices(sqlite_engine, order.id)
    assert invoice.total == Decimal("22.00")

    pay(sqlite_engine, order.customer_id, "22.00")
    await _relay(time_skipping_env, sqlite_engine, worker)
    assert (await handle.result()).status == "closed"
    with Session(sqlite_engine) as session:
        assert get_order(session, order.id).status == "closed"


async def _async(value):  # type: ignore[no-untyped-def]
    return value


async def test_cancelled_order_that_was_billed_in_advance_is_credited_in_full(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine)
    with Session(sqlite_engine) as session, session.begin():
        update_customer(session, customer.id, CustomerUpdate(invoice_policy="on_order"))
    factories.product(sqlite_engine, stock=0)
    order = factories.order(sqlite_engine, customer.id, quantity=2)
    handle = await _approved(time_skipping_env, worker, order)
    await eventually(_status(time_skipping_env, order.id, handle), lambda s: s == "backordered")
    [billed] = _invoices(sqlite_engine, order.id)
    pay(sqlite_engine, customer.id, "5.00")

    await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="no stock"))
    assert (await handle.result()).status == "cancelled"
    after = current(sqlite_engine, billed.id or 0)
    assert (after.credited, after.outstanding) == (Decimal("17.00"), 0)
    assert credit_of(sqlite_engine, customer.id) == Decimal("5.00")
