"""OrderWorkflow stages on the time-skipping server: credit gate, approval, backorder, cancel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.fulfilment.stock import receive_stock
from activities.sales.orders import get_order
from models.fulfilment.policy import FulfilmentPolicy
from models.fulfilment.stock import StockReceipt
from models.sales.messages import Decision, OrderInput, ReleaseInput
from models.sales.orders import OrderPublic
from tests import factories
from tests.helpers import eventually
from workflows.sales.order import OrderWorkflow


async def _start(env: WorkflowEnvironment, worker: Worker, order: OrderPublic) -> WorkflowHandle:
    return await env.client.start_workflow(
        OrderWorkflow.run,
        OrderInput(
            order_id=order.id, customer_id=order.customer_id, total=order.total, status=order.status
        ),
        id=f"order-{order.id}-{worker.task_queue}",
        task_queue=worker.task_queue,
    )


def _status_of(engine: Engine, order_id: int):  # type: ignore[no-untyped-def]
    async def probe() -> str:
        with Session(engine) as session:
            return str(get_order(session, order_id).status)

    return probe


async def test_order_over_the_limit_waits_on_credit_hold_until_released(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine, credit_limit="5.00")
    factories.product(sqlite_engine, stock=10)
    order = factories.order(sqlite_engine, customer.id, quantity=2)  # 22.00 with tax
    handle = await _start(time_skipping_env, worker, order)
    status = _status_of(sqlite_engine, order.id)
    await eventually(status, lambda s: s == "credit_hold")

    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(
            OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
        )
    await handle.execute_update(
        OrderWorkflow.release_credit_hold, ReleaseInput(user="cm", comment="paid upfront")
    )
    assert await status() == "pending_approval"
    await handle.execute_update(
        OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
    )
    await eventually(status, lambda s: s == "awaiting_shipment")
    await handle.terminate("test done")


async def test_order_without_stock_is_backordered_until_a_receipt_arrives(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=1)
    order = factories.order(
        sqlite_engine, customer.id, quantity=3, policy=FulfilmentPolicy.SHIP_COMPLETE
    )
    handle = await _start(time_skipping_env, worker, order)
    status = _status_of(sqlite_engine, order.id)
    await eventually(status, lambda s: s == "pending_approval")
    await handle.execute_update(
        OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
    )
    await eventually(status, lambda s: s == "backordered")

    with Session(sqlite_engine) as session, session.begin():
        receive_stock(session, StockReceipt(sku="WIDGET", quantity=Decimal(5)), "warehouse")
    await handle.signal(OrderWorkflow.stock_available)
    await eventually(status, lambda s: s == "awaiting_shipment")
    await handle.terminate("test done")


async def test_rejected_order_ends_rejected_and_cannot_be_approved_after(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=10)
    order = factories.order(sqlite_engine, customer.id)
    handle = await _start(time_skipping_env, worker, order)
    await eventually(_status_of(sqlite_engine, order.id), lambda s: s == "pending_approval")
    await handle.execute_update(
        OrderWorkflow.reject, Decision(user="approver", roles=["approver"], comment="no")
    )
    result = await handle.result()
    assert result.status == "rejected"
    assert await _status_of(sqlite_engine, order.id)() == "rejected"


async def test_pending_order_can_be_cancelled_with_a_reason(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=10)
    order = factories.order(sqlite_engine, customer.id)
    handle = await _start(time_skipping_env, worker, order)
    await eventually(_status_of(sqlite_engine, order.id), lambda s: s == "pending_approval")
    await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="dup"))
    assert (await handle.result()).status == "cancelled"
