"""Opening stock per warehouse: one receipt per product and warehouse, a second import adds
nothing, and what is refused says why."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.fulfilment.warehouses import create_warehouse
from activities.master_data.products import create_product
from activities.transaction import run_command
from models.fulfilment.stock import StockLevel
from models.fulfilment.warehouses import WarehouseCreate
from models.imports.kinds import ImportKind
from models.master_data.products import ProductCreate
from tests import factories
from tests.imports.files import csv_file, imported, xlsx_file

HEADER = ["warehouse", "sku", "quantity"]


def levels(engine: Engine) -> list[tuple[str, str, Decimal]]:
    with Session(engine) as session:
        query = select(StockLevel).order_by(col(StockLevel.warehouse), col(StockLevel.sku))
        return [(s.warehouse, s.sku, s.on_hand) for s in session.exec(query).all()]


@pytest.fixture
def catalogue(engine: Engine) -> None:
    factories.product(engine, sku="W-100", price="19.99")
    data = ProductCreate(sku="PAINT", name="Paint", unit="l", whole_units=False, unit_price=5)
    run_command(engine, create_product, data)
    run_command(engine, create_warehouse, WarehouseCreate(code="SZ", name="Shenzhen"))


def test_opening_stock_per_warehouse_once(engine: Engine, tmp_path: Path, catalogue: None) -> None:
    rows = [HEADER, ["MAIN", "W-100", "1,200"], ["SZ", "W-100", 30], ["SZ", "PAINT", "12.5"]]
    path = xlsx_file(tmp_path / "stock.xlsx", rows)

    first = imported(engine, ImportKind.STOCK, path)
    again = imported(engine, ImportKind.STOCK, path)

    assert first.status == "done", first.errors
    assert (again.counts.created, again.counts.unchanged) == (0, 3)
    assert levels(engine) == [
        ("MAIN", "W-100", Decimal("1200")),
        ("SZ", "PAINT", Decimal("12.5")),
        ("SZ", "W-100", Decimal("30")),
    ]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_bad_stock_rows_are_refused(engine: Engine, tmp_path: Path, catalogue: None) -> None:
    imported(engine, ImportKind.STOCK, csv_file(tmp_path / "a.csv", [HEADER, ["SZ", "W-100", "5"]]))
    rows = [
        HEADER,
        ["HK", "W-100", "5"],
        ["MAIN", "NOPE", "5"],
        ["MAIN", "W-100", "2.5"],
        ["SZ", "W-100", "6"],
        ["MAIN", "PAINT", "0"],
    ]

    job = imported(engine, ImportKind.STOCK, csv_file(tmp_path / "b.csv", rows))

    assert [(e.row, e.column, e.message) for e in job.errors] == [
        (2, "warehouse", "warehouse HK does not exist"),
        (3, "sku", "product NOPE does not exist (import products first)"),
        (4, "quantity", "W-100 is counted in whole units"),
        (
            5,
            "quantity",
            "opening stock of W-100 in SZ was imported as 5; "
            "a later count is a stock movement, not a second opening",
        ),
        (6, "quantity", "Input should be greater than 0"),
    ]
    assert levels(engine) == [("SZ", "W-100", Decimal("5"))]
