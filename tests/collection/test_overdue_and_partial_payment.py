"""InvoiceCollectionWorkflow on a time-skipped clock, reading money from the real database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.receivables.payments import record_payment
from models.receivables.invoices import Invoice, InvoiceStatus
from models.receivables.payments import PaymentCreate
from models.sales.messages import InvoiceCollectionInput, InvoiceSettlement
from tests import factories
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow


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


async def _start(env: WorkflowEnvironment, worker: Worker, invoice: Invoice) -> WorkflowHandle:
    return await env.client.start_workflow(
        InvoiceCollectionWorkflow.run,
        InvoiceCollectionInput(
            invoice_id=invoice.id or 0,
            customer_id=invoice.customer_id,
            due_date=invoice.due_date,
            outstanding=invoice.total,
        ),
        id=f"invoice-{invoice.id}-{worker.task_queue}",
        task_queue=worker.task_queue,
    )


def _pay(engine: Engine, invoice: Invoice, amount: str) -> None:
    with Session(engine) as session, session.begin():
        record_payment(
            session,
            PaymentCreate(
                customer_id=invoice.customer_id,
                amount=Decimal(amount),
                received_on=date(2026, 12, 1),
                reference=f"pay-{amount}",
            ),
            "finance",
        )


def _status(engine: Engine, invoice: Invoice) -> InvoiceStatus:
    with Session(engine) as session:
        found = session.get(Invoice, invoice.id)
        assert found is not None
        return found.status


async def test_unpaid_invoice_turns_overdue_the_day_after_its_due_date(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    now = await time_skipping_env.get_current_time()
    invoice = _invoice(sqlite_engine, due=now.date() + timedelta(days=30))
    handle = await _start(time_skipping_env, worker, invoice)
    await time_skipping_env.sleep(timedelta(days=30))
    assert _status(sqlite_engine, invoice) == InvoiceStatus.OPEN
    await time_skipping_env.sleep(timedelta(days=1, hours=1))
    assert _status(sqlite_engine, invoice) == InvoiceStatus.OVERDUE

    _pay(sqlite_engine, invoice, "100.00")
    await handle.signal(
        InvoiceCollectionWorkflow.settlement,
        InvoiceSettlement(event_id="p1", invoice_id=invoice.id or 0),
    )
    result = await handle.result()
    assert result.outcome == "paid"


async def test_partial_payment_keeps_the_invoice_in_collection(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    now = await time_skipping_env.get_current_time()
    invoice = _invoice(sqlite_engine, due=now.date() + timedelta(days=30))
    handle = await _start(time_skipping_env, worker, invoice)
    _pay(sqlite_engine, invoice, "60.00")
    await handle.signal(
        InvoiceCollectionWorkflow.settlement,
        InvoiceSettlement(event_id="p1", invoice_id=invoice.id or 0),
    )
    await time_skipping_env.sleep(timedelta(hours=1))
    assert Decimal(await handle.query(InvoiceCollectionWorkflow.current_outstanding)) == 40
    assert _status(sqlite_engine, invoice) == InvoiceStatus.PARTIALLY_PAID
    await handle.terminate("test done")
