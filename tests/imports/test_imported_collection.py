"""An imported invoice 75 days overdue: its collection starts at the level for 75 days, without
the reminder and the levels before it, on the time-skipping server."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.collection.dunning import DunningStep
from models.imports.kinds import ImportKind
from models.receivables.invoices import Invoice
from models.workflow_ids import invoice_workflow_id
from tests import factories
from tests.imports.files import csv_file, imported
from tests.support.polling import eventually
from tests.support.workflows import Flow
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow

HEADER = ["number", "customer_code", "issue_date", "due_date", "amount", "paid", "currency"]


def dunning_steps(engine: Engine) -> list[tuple[int, int, Decimal, Decimal]]:
    with Session(engine) as session:
        found = session.exec(select(DunningStep).order_by(col(DunningStep.level))).all()
        return [(s.level, s.days_past_due, s.fee, s.interest) for s in found]


async def test_invoice_75_days_overdue_starts_at_its_level_without_earlier_reminders(
    flow: Flow, sqlite_engine: Engine, tmp_path: Path
) -> None:
    factories.staff(sqlite_engine, factories.COLLECTIONS_TEAM)
    factories.dunning_policy(sqlite_engine)
    factories.customer(sqlite_engine, "ACME")
    today = await flow.today()
    due = today - timedelta(days=75)
    rows = [HEADER, ["OLD-75", "ACME", due - timedelta(days=30), due, "500.00", "0", "USD"]]
    job = imported(
        sqlite_engine, ImportKind.OPEN_INVOICES, csv_file(tmp_path / "open.csv", rows), as_of=today
    )
    assert job.counts.workflows == 1

    assert await flow.relay() == 1

    async def probe() -> list[tuple[int, int, Decimal, Decimal]]:
        return dunning_steps(sqlite_engine)

    # DUNNING_LADDER's level 3 (60 days): its fixed fee, no interest for the days before o2c.
    assert await eventually(probe, bool) == [(3, 75, Decimal("25.00"), Decimal("0.00"))]
    with Session(sqlite_engine) as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == "OLD-75")).one()
    assert (invoice.status, invoice.dunning_level) == ("overdue", 3)
    handle = flow.env.client.get_workflow_handle_for(
        InvoiceCollectionWorkflow.run, invoice_workflow_id(invoice.id)
    )
    view = await handle.query(InvoiceCollectionWorkflow.collection)
    assert view.level == 3 and view.task_id is not None

    await flow.env.sleep(timedelta(days=3))
    assert dunning_steps(sqlite_engine) == [(3, 75, Decimal("25.00"), Decimal("0.00"))]
