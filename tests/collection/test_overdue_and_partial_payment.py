"""InvoiceCollectionWorkflow on a time-skipped clock, reading money from the real database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from models.receivables.invoices import InvoiceStatus
from tests.support.collection import customer_pays, invoice_in_collection
from tests.support.receivables import current
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow


async def test_unpaid_invoice_turns_overdue_the_day_after_its_due_date(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    invoice, handle = await invoice_in_collection(
        time_skipping_env, sqlite_engine, worker, due_in_days=30, total="100.00"
    )
    await time_skipping_env.sleep(timedelta(days=30))
    assert current(sqlite_engine, invoice.id).status == InvoiceStatus.OPEN
    await time_skipping_env.sleep(timedelta(days=1, hours=1))
    assert current(sqlite_engine, invoice.id).status == InvoiceStatus.OVERDUE

    await customer_pays(time_skipping_env, sqlite_engine, worker, invoice, "100.00")
    result = await handle.result()
    assert result.outcome == "paid"


async def test_partial_payment_keeps_the_invoice_in_collection(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    invoice, handle = await invoice_in_collection(
        time_skipping_env, sqlite_engine, worker, due_in_days=30, total="100.00"
    )
    await customer_pays(time_skipping_env, sqlite_engine, worker, invoice, "60.00")
    await time_skipping_env.sleep(timedelta(hours=1))
    assert Decimal(await handle.query(InvoiceCollectionWorkflow.current_outstanding)) == 40
    assert current(sqlite_engine, invoice.id).status == InvoiceStatus.PARTIALLY_PAID
