"""An order's page reads its rows in plain queries of what it shows: every value it shows is the
one the API's order detail (`GET /orders/{id}`) answers, amounts written with the same places."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.reports.order_detail import order_detail
from activities.sales.orders import timeline
from api.pages.orders_detail import (
    APPROVALS,
    EVENTS,
    HEAD,
    HEAD_COLUMNS,
    INVOICES,
    LINES,
    SHIPMENTS,
    order_page_rows,
)
from models.receivables.invoices import Invoice
from tests import factories


def shown(rows: list[Any], statement: Any) -> list[list[str]]:
    """What the page can show of each row: the statement's columns, written as text."""
    names = [column.name for column in statement.selected_columns]
    return [[f"{name}={getattr(row, name)}" for name in names] for row in rows]


def test_the_order_page_shows_what_the_order_detail_answers(sqlite_engine: Engine) -> None:
    placed = factories.widget_order(sqlite_engine, 3, stock=5)
    factories.approve(sqlite_engine, placed.id)
    planned = factories.plan(sqlite_engine, placed.id)
    factories.dispatch(sqlite_engine, planned.shipments[0])
    billed = factories.invoice(sqlite_engine, placed.customer_id, "10.00", quantity="3")
    with Session(sqlite_engine) as session, session.begin():
        bill = update(Invoice).where(Invoice.id == billed.id)  # type: ignore[arg-type]
        session.execute(bill.values(order_id=placed.id))

    with Session(sqlite_engine) as session:
        detail = order_detail(session, placed.id)
        events = timeline(session, placed.id)
        order, customer = order_page_rows(session.connection(), placed.id)

    assert customer.name == "ACME Ltd"
    for name in [*HEAD_COLUMNS.split(), "workflow_id"]:
        assert str(getattr(order, name)) == str(getattr(detail, name)), name
    assert str(order.total) == "33.00" and str(order.lines[0].unit_price) == "10.00"
    assert detail.approvals and detail.shipments and detail.invoices and events
    assert shown(order.lines, LINES) == shown(detail.lines, LINES)
    assert shown(order.approvals, APPROVALS) == shown(detail.approvals, APPROVALS)
    assert shown(order.shipments, SHIPMENTS) == shown(detail.shipments, SHIPMENTS)
    assert shown(order.invoices, INVOICES) == shown(detail.invoices, INVOICES)
    assert shown(order.events, EVENTS) == shown(events, EVENTS)


def test_the_order_page_reads_by_primary_key_and_indexes_only(sqlite_engine: Engine) -> None:
    """It reads on the event loop on SQLite, which holds only while every read is bounded by
    the one order: no statement of the page scans a table."""
    explain = "EXPLAIN QUERY PLAN "
    with sqlite_engine.connect() as connection:
        for statement in (HEAD, LINES, APPROVALS, SHIPMENTS, INVOICES, EVENTS):
            compiled = statement.compile(sqlite_engine)
            steps = connection.exec_driver_sql(explain + str(compiled), (1,)).all()
            plan = [step[-1] for step in steps]
            assert all(step.startswith(("SEARCH", "USE TEMP B-TREE")) for step in plan), plan
