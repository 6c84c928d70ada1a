"""InvoiceCollectionWorkflow on a time-skipped clock, reading money from the real database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine

from models.receivables.invoices import InvoiceStatus
from tests.support.collection import customer_pays, invoice_in_collection
from tests.support.receivables import current
from tests.support.workflows import Flow
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow


async def test_unpaid_invoice_turns_overdue_the_day_after_its_due_date(
    flow: Flow, sqlite_engine: Engine
) -> None:
    invoice, handle = await invoice_in_collection(flow, due_in_days=30, total="100.00")
    await flow.env.sleep(timedelta(days=30))
    assert current(sqlite_engine, invoice.id).status == InvoiceStatus.OPEN
    await flow.env.sleep(timedelta(days=1, hours=1))
    assert current(sqlite_engine, invoice.id).status == InvoiceStatus.OVERDUE

    await customer_pays(flow, invoice, "100.00")
    result = await handle.result()
    assert result.outcome == "paid"


async def test_partial_payment_keeps_the_invoice_in_collection(
    flow: Flow, sqlite_engine: Engine
) -> None:
    invoice, handle = await invoice_in_collection(flow, due_in_days=30, total="100.00")
    await customer_pays(flow, invoice, "60.00")
    await flow.env.sleep(timedelta(hours=1))
    assert Decimal(await handle.query(InvoiceCollectionWorkflow.current_outstanding)) == 40
    assert current(sqlite_engine, invoice.id).status == InvoiceStatus.PARTIALLY_PAID
