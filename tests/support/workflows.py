"""A workflow test's world, driven the way production drives it: the outbox relay starts and
signals workflows, users decide through Updates, the time-skipping clock moves on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from models.receivables.invoices import InvoicePublic
from models.sales.messages import (
    COLLECTION_HISTORY_BOUND,
    Decision,
    InvoiceCollectionInput,
    OrderResult,
)
from models.workflow_ids import invoice_workflow_id, order_workflow_id
from o2c.relay import relay_once
from tests.support.orders import status_of
from tests.support.polling import eventually
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow
from workflows.sales.order import OrderWorkflow

SKIP_STEP = timedelta(days=7)


@dataclass(frozen=True)
class Flow:
    """The time-skipping server, the test's SQLite database and the worker on both."""

    env: WorkflowEnvironment
    engine: Engine
    worker: Worker

    async def relay(self) -> int:
        """One pass of the worker's outbox relay (workflow tests run no relay loop)."""
        return await relay_once(self.env.client, self.engine, self.worker.task_queue)

    def order_workflow(self, order_id: int) -> WorkflowHandle[Any, OrderResult]:
        return self.env.client.get_workflow_handle_for(
            OrderWorkflow.run, order_workflow_id(order_id)
        )

    async def pending_order(self, order_id: int) -> WorkflowHandle[Any, OrderResult]:
        """The order's workflow, started by the relay, once it waits for approval."""
        await self.relay()
        await eventually(status_of(self.engine, order_id), lambda s: s == "pending_approval")
        return self.order_workflow(order_id)

    async def approved_order(self, order_id: int) -> WorkflowHandle[Any, OrderResult]:
        """The order's workflow, approved by an approver once it asks for approval."""
        handle = await self.pending_order(order_id)
        await handle.execute_update(
            OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
        )
        return handle

    async def start_collection(
        self, invoice: InvoicePublic, history_bound: int = COLLECTION_HISTORY_BOUND
    ) -> WorkflowHandle[Any, Any]:
        """The invoice's collection workflow, started as issuing an invoice starts it."""
        return await start_collection(self.env, self.worker.task_queue, invoice, history_bound)

    async def today(self) -> date:
        """The day on the server's clock (which starts at the real time)."""
        return (await self.env.get_current_time()).date()

    async def sleep_until(self, at: datetime) -> None:
        """Skips the server's clock to `at`, a week at a time: one long skip over many timers is
        a single call to the test server that a loaded machine can let run past its deadline."""
        now = await self.env.get_current_time()
        assert at > now, f"{at} is already past ({now})"
        while now < at:
            await self.env.sleep(min(at - now, SKIP_STEP))
            now = await self.env.get_current_time()

    async def skip_to_next(self, at: time) -> None:
        """Skips to the next `at` o'clock UTC: a scenario started there runs the same whatever
        the time of day the test is run."""
        now = await self.env.get_current_time()
        target = datetime.combine(now.date(), at, tzinfo=UTC)
        await self.sleep_until(target if target > now else target + timedelta(days=1))


async def start_collection(
    env: WorkflowEnvironment,
    task_queue: str,
    invoice: InvoicePublic,
    history_bound: int = COLLECTION_HISTORY_BOUND,
) -> WorkflowHandle[Any, Any]:
    """The invoice's collection workflow (on the time-skipping or the dev server)."""
    return await env.client.start_workflow(
        InvoiceCollectionWorkflow.run,
        InvoiceCollectionInput(
            invoice_id=invoice.id,
            customer_id=invoice.customer_id,
            due_date=invoice.due_date,
            outstanding=invoice.total,
            history_bound=history_bound,
        ),
        id=invoice_workflow_id(invoice.id),
        task_queue=task_queue,
    )
