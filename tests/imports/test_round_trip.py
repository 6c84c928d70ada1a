"""Export then import: a new database gets the same customers, products and open invoices, and
exporting it again gives the same file (property test over drawn customers and invoices)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from activities.imports.exports import export_file
from models.imports.kinds import ImportKind
from o2c.db import engine_for
from tests import factories
from tests.imports.files import csv_file, imported

CUSTOMER_HEADER = ["code", "name", "email", "phone", "currency", "credit_limit"]
INVOICE_HEADER = ["number", "customer_code", "issue_date", "due_date", "amount", "paid", "currency"]
names = (
    st.text(
        st.characters(codec="utf-8", categories=("L", "N", "Zs"), exclude_characters="\u3000"),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
customer = st.tuples(
    names,
    st.sampled_from(["", "+86 755 1234", "=1+1", "-5"]),
    st.sampled_from(["USD", "CNY", "JPY"]),
    st.integers(min_value=0, max_value=10**9),
)
invoice = st.tuples(
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=1, max_value=10**7),
    st.integers(min_value=0, max_value=99),
)


def fresh(folder: Path, name: str) -> Engine:
    engine = engine_for(f"sqlite:///{folder / name}")
    SQLModel.metadata.create_all(engine)
    return engine


def exported(engine: Engine, kind: ImportKind, file_format: str, path: Path) -> Path:
    with Session(engine) as session:
        path.write_bytes(export_file(session, kind, file_format))
    return path


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],  # each example builds two databases: no shrinking
)
@given(
    st.lists(customer, min_size=1, max_size=4),
    st.lists(invoice, max_size=4),
    st.sampled_from(["csv", "xlsx"]),
)
def test_import_of_an_export_writes_the_same_data(
    customers: list[tuple[str, str, str, int]],
    invoices: list[tuple[int, int, int]],
    file_format: str,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first, second = fresh(folder, "a.db"), fresh(folder, "b.db")
        rows = [
            [f"C{n}", name, f"c{n}@x.example", phone, currency, f"{limit:,}"]
            for n, (name, phone, currency, limit) in enumerate(customers)
        ]
        imported(first, ImportKind.CUSTOMERS, csv_file(folder / "c.csv", [CUSTOMER_HEADER, *rows]))
        due = date(2026, 6, 1)
        open_rows = [
            [
                f"OLD-{n}",
                "C0",
                due - timedelta(days=30),
                due + timedelta(days=days),
                amount,
                amount * paid // 100,
                customers[0][2],
            ]
            for n, (days, amount, paid) in enumerate(invoices)
        ]
        if open_rows:
            job = imported(
                first,
                ImportKind.OPEN_INVOICES,
                csv_file(folder / "i.csv", [INVOICE_HEADER, *open_rows]),
            )
            assert job.status == "done", job.errors

        kinds = [ImportKind.CUSTOMERS] + ([ImportKind.OPEN_INVOICES] if open_rows else [])
        for kind in kinds:
            path = exported(first, kind, file_format, folder / f"{kind}.{file_format}")
            job = imported(second, kind, path)
            assert job.status == "done", job.errors
            again = exported(second, kind, "csv", folder / f"again-{kind}.csv")
            assert (
                again.read_bytes()
                == exported(first, kind, "csv", folder / f"{kind}.csv").read_bytes()
            )
        first.dispose()
        second.dispose()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_products_and_opening_stock_round_trip(tmp_path: Path, file_format: str) -> None:
    first, second = fresh(tmp_path, "a.db"), fresh(tmp_path, "b.db")
    products = [
        ["sku", "name", "unit", "whole_units", "unit_price", "tax_rate"],
        ["W-100", "=Widget", "ea", "yes", "1,019.99", "0.13"],
        ["PAINT", "油漆", "l", "no", "5", "0"],
    ]
    imported(first, ImportKind.PRODUCTS, csv_file(tmp_path / "p.csv", products))
    stock = [["warehouse", "sku", "quantity"], ["MAIN", "W-100", "120"], ["MAIN", "PAINT", "2.5"]]
    imported(first, ImportKind.STOCK, csv_file(tmp_path / "s.csv", stock))

    for kind in (ImportKind.PRODUCTS, ImportKind.STOCK):
        path = exported(first, kind, file_format, tmp_path / f"{kind}.{file_format}")
        job = imported(second, kind, path)
        assert job.status == "done", job.errors
        again = exported(second, kind, "csv", tmp_path / f"again-{kind}.csv").read_bytes()
        assert again == exported(first, kind, "csv", tmp_path / f"{kind}.csv").read_bytes()
    assert b"'=Widget" in (tmp_path / "products.csv").read_bytes()
    first.dispose()
    second.dispose()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_open_orders_round_trip(tmp_path: Path, file_format: str) -> None:
    first, second = fresh(tmp_path, "a.db"), fresh(tmp_path, "b.db")
    for engine in (first, second):
        factories.customer(engine, "ACME")
        factories.product(engine, "WIDGET", "10.00")
        factories.product(engine, "GADGET", "50.00")
    orders = [
        ["order_number", "customer_code", "status", "order_date", "sku", "quantity", "unit_price"],
        ["OLD-1", "ACME", "approved", "2026-11-20", "WIDGET", "2", "9.00"],
        ["OLD-1", "ACME", "approved", "2026-11-20", "GADGET", "1", ""],
        ["OLD-2", "ACME", "awaiting_shipment", "2026-11-25", "WIDGET", "3", ""],
    ]
    imported(first, ImportKind.OPEN_ORDERS, csv_file(tmp_path / "o.csv", orders))

    kind = ImportKind.OPEN_ORDERS
    path = exported(first, kind, file_format, tmp_path / f"{kind}.{file_format}")
    job = imported(second, kind, path)
    assert job.status == "done", job.errors
    assert job.counts.created == 2
    again = exported(second, kind, "csv", tmp_path / "again.csv").read_bytes()
    assert again == exported(first, kind, "csv", tmp_path / f"{kind}.csv").read_bytes()
    assert b"OLD-1,ACME,approved,2026-11-20,,GADGET,1,50.00" in again
    first.dispose()
    second.dispose()
