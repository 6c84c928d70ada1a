"""Price lists from a file: lists created with their prices through the price-list use cases,
the same file again changes nothing, a list's audience and its prices are checked, and an
export imports back to the same lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from activities.imports.exports import export_file
from models.imports.kinds import ImportKind
from models.sales.price_lists import PriceList, PriceListItem
from o2c.db import engine_for
from tests import factories
from tests.imports.files import csv_file, imported, xlsx_file

HEADER = ["price_list", "audience", "credit_class", "customer_code", "sku", "unit_price",
          "min_quantity", "valid_from", "valid_to"]  # fmt: skip
ROWS = [
    ["Standard 2026", "default", "", "", "W-100", "18.50", "1", "2026-01-01", ""],
    ["Standard 2026", "", "", "", "W-100", "16.00", "100", 46023, "2026-12-31"],
    ["ACME deal", "customer", "", "acme", "W-100", "15.00", "1", "2026-01-01", ""],
]


def prices(engine: Engine) -> list[tuple[str, str, Decimal, Decimal, date, date | None]]:
    with Session(engine) as session:
        query = (
            select(PriceList.name, PriceListItem)
            .join(PriceListItem, col(PriceListItem.price_list_id) == col(PriceList.id))
            .order_by(col(PriceListItem.id))
        )
        return [
            (name, i.sku, i.unit_price, i.min_quantity, i.valid_from, i.valid_to)
            for name, i in session.exec(query).all()
        ]


@pytest.fixture
def catalogue(engine: Engine) -> None:
    factories.product(engine, sku="W-100", price="19.99")
    factories.customer(engine, "ACME")


def test_price_lists_created_once(engine: Engine, tmp_path: Path, catalogue: None) -> None:
    path = xlsx_file(tmp_path / "prices.xlsx", [HEADER, *ROWS])

    first = imported(engine, ImportKind.PRICE_LISTS, path)
    again = imported(engine, ImportKind.PRICE_LISTS, path)

    assert first.status == "done", first.errors
    assert (again.counts.created, again.counts.unchanged) == (0, 3)
    assert prices(engine) == [
        ("Standard 2026", "W-100", Decimal("18.50"), Decimal("1"), date(2026, 1, 1), None),
        ("Standard 2026", "W-100", Decimal("16.00"), Decimal("100"), date(2026, 1, 1),
         date(2026, 12, 31)),
        ("ACME deal", "W-100", Decimal("15.00"), Decimal("1"), date(2026, 1, 1), None),
    ]  # fmt: skip
    with Session(engine) as session:
        acme = session.exec(select(PriceList).where(PriceList.name == "ACME deal")).one()
    assert acme.audience == "customer" and acme.customer_id is not None


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_bad_price_rows_are_refused(engine: Engine, tmp_path: Path, catalogue: None) -> None:
    imported(engine, ImportKind.PRICE_LISTS, csv_file(tmp_path / "a.csv", [HEADER, ROWS[0]]))
    rows = [
        HEADER,
        ["Standard 2026", "default", "", "", "W-100", "17.00", "1", "2026-01-01", ""],
        ["Standard 2026", "credit_class", "vip", "", "W-100", "1.00", "5", "2026-01-01", ""],
        ["Other", "default", "", "", "NOPE", "1.00", "1", "2026-01-01", ""],
    ]

    job = imported(engine, ImportKind.PRICE_LISTS, csv_file(tmp_path / "b.csv", rows))

    assert [(e.row, e.column, e.message) for e in job.errors] == [
        (2, "unit_price", "W-100 already has a price in 'Standard 2026' from 2026-01-01; "
         "end it and add a new one from a later day"),
        (3, "audience", "price list 'Standard 2026' is for default, not this audience"),
        (4, "sku", "product NOPE does not exist (import products first)"),
    ]  # fmt: skip
    assert len(prices(engine)) == 1


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_price_lists_round_trip(engine: Engine, tmp_path: Path, catalogue: None) -> None:
    imported(engine, ImportKind.PRICE_LISTS, csv_file(tmp_path / "p.csv", [HEADER, *ROWS]))
    other = engine_for(f"sqlite:///{tmp_path / 'other.db'}")
    SQLModel.metadata.create_all(other)
    factories.product(other, sku="W-100", price="19.99")
    factories.customer(other, "ACME")
    with Session(engine) as session:
        (tmp_path / "out.xlsx").write_bytes(export_file(session, ImportKind.PRICE_LISTS, "xlsx"))
        first = export_file(session, ImportKind.PRICE_LISTS, "csv")

    job = imported(other, ImportKind.PRICE_LISTS, tmp_path / "out.xlsx")

    assert job.status == "done", job.errors
    with Session(other) as session:
        assert export_file(session, ImportKind.PRICE_LISTS, "csv") == first
    other.dispose()
