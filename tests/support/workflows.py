"""Driving workflows on the time-skipping server the way production does: the outbox relay
starts and signals them, users decide through Updates."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from models.receivables.invoices import InvoicePublic
from models.sales.messages import Decision, InvoiceCollectionInput, OrderResult
from o2c.relay import relay_once
from tests.support.orders import status_of
from tests.support.polling import eventually
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow
from workflows.sales.order import OrderWorkflow


async def relay(env: WorkflowEnvironment, engine: Engine, worker: Worker) -> int:
    """One pass of the worker's outbox relay (workflow tests run no relay loop)."""
    return await relay_once(env.client, engine, worker.task_queue)


def order_workflow(env: WorkflowEnvironment, order_id: int) -> WorkflowHandle[Any, OrderResult]:
    return env.client.get_workflow_handle_for(OrderWorkflow.run, f"order-{order_id}")


async def pending_order(
    env: WorkflowEnvironment, engine: Engine, worker: Worker, order_id: int
) -> WorkflowHandle[Any, OrderResult]:
    """The order's workflow, started by the relay, once it waits for approval."""
    await relay(env, engine, worker)
    await eventually(status_of(engine, order_id), lambda s: s == "pending_approval")
    return order_workflow(env, order_id)


async def approved_order(
    env: WorkflowEnvironment, engine: Engine, worker: Worker, order_id: int
) -> WorkflowHandle[Any, OrderResult]:
    """The order's workflow, approved by an approver once it asks for approval."""
    handle = await pending_order(env, engine, worker, order_id)
    await handle.execute_update(
        OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
    )
    return handle


async def start_collection(
    env: WorkflowEnvironment, task_queue: str, invoice: InvoicePublic
) -> WorkflowHandle[Any, Any]:
    """The invoice's collection workflow, started as issuing an invoice starts it."""
    return await env.client.start_workflow(
        InvoiceCollectionWorkflow.run,
        InvoiceCollectionInput(
            invoice_id=invoice.id,
            customer_id=invoice.customer_id,
            due_date=invoice.due_date,
            outstanding=invoice.total,
        ),
        id=f"invoice-{invoice.id}",
        task_queue=task_queue,
    )
