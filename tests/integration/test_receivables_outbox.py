"""The collection workflow hears of money through the transactional outbox: a payment recorded
while Temporal is unreachable still reaches it later, and a bounced payment restarts the
collection of an invoice whose collection had already ended (real dev server)."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from models.outbox import OutboxState
from models.security.users import Role
from o2c.relay import relay_once
from o2c.settings import Settings
from o2c.worker import build_worker
from tests import factories
from tests.support.api_client import ApiClient, api_client
from tests.support.database import outbox
from tests.support.polling import eventually
from tests.support.workflows import start_collection
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow


async def test_payment_recorded_while_temporal_is_down_reaches_the_collection_later(
    engine: Engine, dev_server_env: WorkflowEnvironment, api: ApiClient, settings: Settings
) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    response = await api.post(
        "/payments",
        Role.FINANCE,
        {
            "customer_id": customer.id,
            "amount": "110.00",
            "received_on": "2026-02-01",
            "reference": "BANK-9",
        },
    )
    assert response.status_code == 201
    [signal] = outbox(engine, f"invoice-{issued.id}")
    assert (signal.name, signal.state) == ("settlement", OutboxState.PENDING)

    async with build_worker(dev_server_env.client, engine, settings) as worker:
        handle = await start_collection(dev_server_env, worker.task_queue, issued)
        delivered = await relay_once(dev_server_env.client, engine, worker.task_queue)
        assert delivered == 1
        assert (await handle.result()).outcome == "paid"
    assert outbox(engine, f"invoice-{issued.id}")[0].state == OutboxState.SENT


async def test_bounced_payment_restarts_the_collection_of_a_paid_invoice(
    engine: Engine, dev_server_env: WorkflowEnvironment, settings: Settings
) -> None:
    factories.user(engine, "finance", [Role.FINANCE])
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    api = api_client(engine, settings, dev_server_env.client)
    async with build_worker(dev_server_env.client, engine, settings):
        first = await start_collection(dev_server_env, settings.task_queue, issued)
        paid = await api.post(
            "/payments",
            Role.FINANCE,
            {
                "customer_id": customer.id,
                "amount": "110.00",
                "received_on": "2026-02-01",
                "reference": "BANK-10",
            },
            expect=201,
        )
        assert (await first.result()).outcome == "paid"

        await api.post(
            f"/payments/{paid.json()['id']}/reverse",
            Role.FINANCE,
            {"reason": "bounced"},
            expect=200,
        )
        handle: WorkflowHandle = dev_server_env.client.get_workflow_handle(f"invoice-{issued.id}")

        async def running() -> str | None:
            described = await handle.describe()
            if described.status != WorkflowExecutionStatus.RUNNING:
                return None
            return await handle.query(InvoiceCollectionWorkflow.current_outstanding)

        assert await eventually(running, lambda v: v is not None) in ("110.00", "110.0000")
    await api.aclose()
