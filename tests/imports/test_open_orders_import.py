"""Open orders from the old system: each an approved order that keeps its old number, priced
as the file says (or by the price lists when the price is empty), its workflow queued to start
past the credit gate and approval; a bad reference is refused with its row and column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.imports.kinds import ImportKind
from models.outbox import OutboxMessage
from models.sales.orders import OrderLine, SalesOrder
from tests import factories
from tests.imports.files import csv_file, imported, xlsx_file

HEADER = [
    "order_number",
    "customer_code",
    "status",
    "order_date",
    "requested_date",
    "sku",
    "quantity",
    "unit_price",
]
ROWS = [
    HEADER,
    ["OLD-SO-1", "ACME", "approved", "2026-11-20", "", "WIDGET", "2", "9.00"],
    ["OLD-SO-1", "ACME", "approved", "2026-11-20", "", "GADGET", "1", ""],
    ["OLD-SO-2", "acme", "awaiting_shipment", "2026-11-25", "2026-12-10", "WIDGET", "3", ""],
]
# Taxed at 10 %: 2 x 9.00 + 1 x 50.00 = 68.00 + 6.80; 3 x 10.00 = 30.00 + 3.00.
EXPECTED = [
    ("OLD-SO-1", "approved", Decimal("74.80"), [("WIDGET", "override"), ("GADGET", "product")]),
    ("OLD-SO-2", "approved", Decimal("33.00"), [("WIDGET", "product")]),
]


def orders(engine: Engine) -> list[tuple[str | None, str, Decimal, list[tuple[str, str]]]]:
    with Session(engine) as session:
        found = session.exec(select(SalesOrder).order_by(col(SalesOrder.legacy_number))).all()
        return [
            (
                order.legacy_number,
                str(order.status),
                order.total,
                [
                    (line.sku, line.price_source)
                    for line in session.exec(
                        select(OrderLine)
                        .where(OrderLine.order_id == order.id)
                        .order_by(col(OrderLine.line_no))
                    )
                ],
            )
            for order in found
        ]


def starts(engine: Engine) -> list[dict[str, object]]:
    with Session(engine) as session:
        messages = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        return [m.payload for m in messages]


@pytest.fixture
def catalogue(engine: Engine) -> None:
    factories.customer(engine, "ACME")
    factories.product(engine, "WIDGET", "10.00")
    factories.product(engine, "GADGET", "50.00")


def test_open_orders_from_csv_are_approved_orders_under_their_old_numbers(
    engine: Engine, tmp_path: Path, catalogue: None
) -> None:
    job = imported(engine, ImportKind.OPEN_ORDERS, csv_file(tmp_path / "orders.csv", ROWS))

    assert job.status == "done", job.errors
    assert (job.counts.created, job.counts.workflows) == (2, 2)
    assert orders(engine) == EXPECTED
    queued = starts(engine)
    assert [(s["imported"], s["status"], s["total"]) for s in queued] == [
        (True, "approved", "74.80"),
        (True, "approved", "33.00"),
    ]


def test_open_orders_from_xlsx_read_spreadsheet_dates(
    engine: Engine, tmp_path: Path, catalogue: None
) -> None:
    rows = [list(row) for row in ROWS]
    rows[1][3] = rows[2][3] = 46346  # 2026-11-20 as a spreadsheet day number
    job = imported(engine, ImportKind.OPEN_ORDERS, xlsx_file(tmp_path / "orders.xlsx", rows))

    assert job.status == "done", job.errors
    assert orders(engine) == EXPECTED
    with Session(engine) as session:
        order = session.exec(select(SalesOrder).where(SalesOrder.legacy_number == "OLD-SO-1")).one()
    assert str(order.order_date) == "2026-11-20"


def test_an_unknown_product_is_refused_with_its_row_and_column_and_nothing_written(
    engine: Engine, tmp_path: Path, catalogue: None
) -> None:
    rows = [*ROWS, ["OLD-SO-3", "ACME", "approved", "2026-11-26", "", "NOPE", "1", ""]]
    job = imported(engine, ImportKind.OPEN_ORDERS, csv_file(tmp_path / "orders.csv", rows))

    assert job.status == "invalid"
    assert [(e.row, e.column, e.message) for e in job.errors] == [
        (5, "sku", "product NOPE does not exist (import products first)")
    ]
    assert orders(engine) == []
    assert starts(engine) == []


def test_lines_of_one_order_must_agree_on_its_customer(
    engine: Engine, tmp_path: Path, catalogue: None
) -> None:
    factories.customer(engine, "BETA")
    rows = [*ROWS, ["OLD-SO-2", "BETA", "approved", "2026-11-25", "", "GADGET", "1", ""]]
    job = imported(engine, ImportKind.OPEN_ORDERS, csv_file(tmp_path / "orders.csv", rows))

    assert job.status == "invalid"
    assert [(e.row, e.column) for e in job.errors] == [(5, "customer_code")]
    assert "every line of an order says the same" in job.errors[0].message
    assert orders(engine) == []


def test_importing_the_same_open_orders_twice_changes_nothing(
    engine: Engine, tmp_path: Path, catalogue: None
) -> None:
    path = csv_file(tmp_path / "orders.csv", ROWS)
    imported(engine, ImportKind.OPEN_ORDERS, path)
    again = imported(engine, ImportKind.OPEN_ORDERS, path)

    assert again.status == "done", again.errors
    assert (again.counts.created, again.counts.unchanged, again.counts.workflows) == (0, 2, 0)
    assert orders(engine) == EXPECTED
    assert len(starts(engine)) == 2


def test_an_order_whose_lines_run_into_the_next_batch_is_one_order(
    engine: Engine, tmp_path: Path, catalogue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("activities.imports.spill.BATCH", 1)
    job = imported(engine, ImportKind.OPEN_ORDERS, csv_file(tmp_path / "orders.csv", ROWS))

    assert job.status == "done", job.errors
    assert orders(engine) == EXPECTED
    assert [s["total"] for s in starts(engine)] == ["74.80", "33.00"]
