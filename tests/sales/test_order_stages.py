"""OrderWorkflow stages on the time-skipping server: credit gate, approval, backorder, cancel."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from models.fulfilment.policy import FulfilmentPolicy
from models.sales.messages import Decision, ReleaseInput
from tests import factories
from tests.support.orders import status_of
from tests.support.polling import eventually
from tests.support.workflows import approved_order, order_workflow, pending_order, relay
from workflows.sales.order import OrderWorkflow


async def test_order_over_the_limit_waits_on_credit_hold_until_released(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine, credit_limit="5.00")
    factories.product(sqlite_engine, stock=10)
    order = factories.order(sqlite_engine, customer.id, quantity=2)  # 22.00 with tax
    await relay(time_skipping_env, sqlite_engine, worker)
    handle = order_workflow(time_skipping_env, order.id)
    status = status_of(sqlite_engine, order.id)
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


async def test_order_without_stock_is_backordered_until_a_receipt_arrives(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=1)
    order = factories.order(
        sqlite_engine, customer.id, quantity=3, policy=FulfilmentPolicy.SHIP_COMPLETE
    )
    handle = await approved_order(time_skipping_env, sqlite_engine, worker, order.id)
    status = status_of(sqlite_engine, order.id)
    await eventually(status, lambda s: s == "backordered")

    factories.receive(sqlite_engine, 5)
    await handle.signal(OrderWorkflow.stock_available)
    await eventually(status, lambda s: s == "awaiting_shipment")


async def test_rejected_order_ends_rejected_and_cannot_be_approved_after(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=10)
    order = factories.order(sqlite_engine, customer.id)
    handle = await pending_order(time_skipping_env, sqlite_engine, worker, order.id)
    await handle.execute_update(
        OrderWorkflow.reject, Decision(user="approver", roles=["approver"], comment="no")
    )
    result = await handle.result()
    assert result.status == "rejected"
    assert await status_of(sqlite_engine, order.id)() == "rejected"


async def test_pending_order_can_be_cancelled_with_a_reason(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=10)
    order = factories.order(sqlite_engine, customer.id)
    handle = await pending_order(time_skipping_env, sqlite_engine, worker, order.id)
    await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="dup"))
    assert (await handle.result()).status == "cancelled"
