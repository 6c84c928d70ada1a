"""The collection workflow hears of money through the transactional outbox: a payment recorded
while Temporal is unreachable still reaches it later, and a bounced payment restarts the
collection of an invoice whose collection had already ended (real dev server)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from models.outbox import OutboxState
from models.sales.messages import InvoiceCollectionInput
from models.security.users import Role, User
from o2c.relay import relay_once
from o2c.worker import build_worker
from tests import factories
from tests.helpers import api_client, eventually, make_settings
from tests.receivables import invoice, outbox
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow


def _finance(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        session.add(User(username="finance", password_hash="-", roles="finance"))


async def _collect(env: WorkflowEnvironment, task_queue: str, invoice_id: int, total, due):  # type: ignore[no-untyped-def]
    return await env.client.start_workflow(
        InvoiceCollectionWorkflow.run,
        InvoiceCollectionInput(
            invoice_id=invoice_id, customer_id=1, due_date=due, outstanding=total
        ),
        id=f"invoice-{invoice_id}",
        task_queue=task_queue,
    )


async def test_payment_recorded_while_temporal_is_down_reaches_the_collection_later(
    engine: Engine, dev_server_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    _finance(engine)
    customer = factories.customer(engine)
    issued = invoice(engine, customer.id)
    down = make_settings(tmp_path, temporal_address="127.0.0.1:1")
    offline_api = api_client(engine, down, None)
    response = await offline_api.post(
        "/payments",
        Role.FINANCE,
        {
            "customer_id": customer.id,
            "amount": "110.00",
            "received_on": "2026-02-01",
            "reference": "BANK-9",
        },
    )
    await offline_api.aclose()
    assert response.status_code == 201
    [signal] = outbox(engine, f"invoice-{issued.id}")
    assert (signal.name, signal.state) == ("settlement", OutboxState.PENDING)

    async with build_worker(dev_server_env.client, engine, down) as worker:
        handle = await _collect(
            dev_server_env, worker.task_queue, issued.id, issued.total, issued.due_date
        )
        delivered = await relay_once(dev_server_env.client, engine, worker.task_queue)
        assert delivered == 1
        assert (await handle.result()).outcome == "paid"
    assert outbox(engine, f"invoice-{issued.id}")[0].state == OutboxState.SENT


async def test_bounced_payment_restarts_the_collection_of_a_paid_invoice(
    engine: Engine, dev_server_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    _finance(engine)
    customer = factories.customer(engine)
    issued = invoice(engine, customer.id)
    settings = make_settings(tmp_path)
    api = api_client(engine, settings, dev_server_env.client)
    async with build_worker(dev_server_env.client, engine, settings):
        first = await _collect(
            dev_server_env, settings.task_queue, issued.id, issued.total, issued.due_date
        )
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
