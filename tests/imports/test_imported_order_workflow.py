"""An imported open order lives on as any approved order: its workflow, started by the outbox
relay, reserves its stock, plans its shipment and bills it when it leaves the warehouse, with no
credit check or approval in its history (time-skipping server, real SQLite database)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.sales.orders import approvals_of
from models.fulfilment.stock import StockLevel
from models.imports.kinds import ImportKind
from models.sales.orders import SalesOrder
from tests import factories
from tests.imports.files import csv_file, imported
from tests.support.orders import events_of, invoices_of, shipments_of, status_of
from tests.support.polling import eventually, reading
from tests.support.workflows import Flow

HEADER = ["order_number", "customer_code", "status", "order_date", "sku", "quantity"]


async def test_imported_approved_order_is_dispatched_and_invoiced_without_approval(
    flow: Flow, sqlite_engine: Engine, tmp_path: Path
) -> None:
    factories.customer(sqlite_engine, "ACME")
    factories.product(sqlite_engine, "WIDGET", "10.00", stock=5)
    rows = [HEADER, ["OLD-SO-7", "ACME", "awaiting_shipment", "2026-11-20", "WIDGET", "2"]]
    job = imported(sqlite_engine, ImportKind.OPEN_ORDERS, csv_file(tmp_path / "o.csv", rows))
    assert job.status == "done", job.errors
    with Session(sqlite_engine) as session:
        order = session.exec(select(SalesOrder)).one()
    order_id = order.id or 0

    await flow.relay()
    await eventually(status_of(sqlite_engine, order_id), lambda s: s == "awaiting_shipment")
    with Session(sqlite_engine) as session:
        level = session.exec(select(StockLevel).where(StockLevel.sku == "WIDGET")).one()
    assert level.reserved == Decimal(2)
    [shipment] = shipments_of(sqlite_engine, order_id)
    factories.dispatch(sqlite_engine, shipment.id or 0)
    await flow.relay()
    invoices = await eventually(
        reading(invoices_of, sqlite_engine, order_id), lambda found: len(found) == 1
    )

    assert invoices[0].total == Decimal("22.00")
    kinds = [kind for kind, _, _ in events_of(sqlite_engine, order_id)]
    assert kinds[0] == "imported"
    assert not {"submitted", "approved", "credit_hold", "approval_waiting"} & set(kinds)
    with Session(sqlite_engine) as session:
        assert approvals_of(session, order_id) == []
