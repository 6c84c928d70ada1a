"""OrderWorkflow stages on the time-skipping server: credit gate, approval, backorder, cancel."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from temporalio.client import WorkflowUpdateFailedError

from models.fulfilment.policy import FulfilmentPolicy
from models.sales.messages import Decision, ReleaseInput
from tests import factories
from tests.support.orders import status, status_of
from tests.support.polling import eventually
from tests.support.workflows import Flow
from workflows.sales.order import OrderWorkflow


async def test_order_over_the_limit_waits_on_credit_hold_until_released(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order = factories.widget_order(sqlite_engine, 2, stock=10, credit_limit="5.00")  # 22.00
    await flow.relay()
    handle = flow.order_workflow(order.id)
    order_status = status_of(sqlite_engine, order.id)
    await eventually(order_status, lambda s: s == "credit_hold")

    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(
            OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
        )
    await handle.execute_update(
        OrderWorkflow.release_credit_hold, ReleaseInput(user="cm", comment="paid upfront")
    )
    assert await order_status() == "pending_approval"
    await handle.execute_update(
        OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
    )
    await eventually(order_status, lambda s: s == "awaiting_shipment")


async def test_order_without_stock_is_backordered_until_a_receipt_arrives(
    flow: Flow, sqlite_engine: Engine
) -> None:
    complete = FulfilmentPolicy.SHIP_COMPLETE
    order = factories.widget_order(sqlite_engine, 3, stock=1, policy=complete)
    handle = await flow.approved_order(order.id)
    order_status = status_of(sqlite_engine, order.id)
    await eventually(order_status, lambda s: s == "backordered")

    factories.receive(sqlite_engine, 5)
    await handle.signal(OrderWorkflow.stock_available)
    await eventually(order_status, lambda s: s == "awaiting_shipment")


async def test_rejected_order_ends_rejected_and_cannot_be_approved_after(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order = factories.widget_order(sqlite_engine, stock=10)
    handle = await flow.pending_order(order.id)
    await handle.execute_update(
        OrderWorkflow.reject, Decision(user="approver", roles=["approver"], comment="no")
    )
    result = await handle.result()
    assert result.status == "rejected"
    assert status(sqlite_engine, order.id) == "rejected"


async def test_pending_order_can_be_cancelled_with_a_reason(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order = factories.widget_order(sqlite_engine, stock=10)
    handle = await flow.pending_order(order.id)
    await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="dup"))
    assert (await handle.result()).status == "cancelled"
