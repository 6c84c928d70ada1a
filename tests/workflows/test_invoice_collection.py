"""InvoiceCollectionWorkflow on a time-skipped clock."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from models.invoices import Invoice, InvoiceStatus
from models.workflow_messages import InvoiceCollectionInput, InvoiceSettlement
from tests import factories
from workflows.invoice_collection import InvoiceCollectionWorkflow


def _invoice(engine: Engine, due: date) -> Invoice:
    customer = factories.customer(engine)
    invoice = Invoice(
        number="INV-2026-000001",
        customer_id=customer.id,
        currency="USD",
        issue_date=due - timedelta(days=30),
        due_date=due,
        total=Decimal("100.00"),
        outstanding=Decimal("100.00"),
        key="test-invoice",
    )
    with Session(engine, expire_on_commit=False) as session, session.begin():
        session.add(invoice)
    return invoice


async def test_unpaid_invoice_turns_overdue_the_day_after_its_due_date(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    now = await time_skipping_env.get_current_time()
    invoice = _invoice(sqlite_engine, due=now.date() + timedelta(days=30))
    handle = await time_skipping_env.client.start_workflow(
        InvoiceCollectionWorkflow.run,
        InvoiceCollectionInput(
            invoice_id=invoice.id or 0, customer_id=invoice.customer_id,
            due_date=invoice.due_date, outstanding=invoice.total,
        ),
        id=f"invoice-{invoice.id}-{worker.task_queue}",
        task_queue=worker.task_queue,
    )
    await time_skipping_env.sleep(timedelta(days=30))
    with Session(sqlite_engine) as session:
        assert session.get(Invoice, invoice.id).status == InvoiceStatus.OPEN  # type: ignore[union-attr]
    await time_skipping_env.sleep(timedelta(days=1, hours=1))
    with Session(sqlite_engine) as session:
        assert session.get(Invoice, invoice.id).status == InvoiceStatus.OVERDUE  # type: ignore[union-attr]

    await handle.signal(
        InvoiceCollectionWorkflow.settlement,
        InvoiceSettlement(event_id="p1", invoice_id=invoice.id or 0, outstanding=Decimal("0.00")),
    )
    result = await handle.result()
    assert result.outcome == "paid"


async def test_repeated_and_late_settlements_do_not_reopen_the_invoice(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    now = await time_skipping_env.get_current_time()
    invoice = _invoice(sqlite_engine, due=now.date() + timedelta(days=30))
    handle = await time_skipping_env.client.start_workflow(
        InvoiceCollectionWorkflow.run,
        InvoiceCollectionInput(
            invoice_id=invoice.id or 0, customer_id=invoice.customer_id,
            due_date=invoice.due_date, outstanding=invoice.total,
        ),
        id=f"invoice-{invoice.id}-{worker.task_queue}",
        task_queue=worker.task_queue,
    )
    for event_id, outstanding in [("p2", "40.00"), ("p2", "40.00"), ("p1", "70.00")]:
        await handle.signal(
            InvoiceCollectionWorkflow.settlement,
            InvoiceSettlement(event_id=event_id, invoice_id=invoice.id or 0, outstanding=Decimal(outstanding)),
        )
    assert await handle.query(InvoiceCollectionWorkflow.current_outstanding) == "40.00"
    await handle.terminate("test done")
