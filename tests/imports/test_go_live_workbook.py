"""A go-live upload of all kinds at once: one workbook, a sheet per kind, in any order. Every
sheet is checked before anything is written, a later sheet may name the customers and products
of an earlier one, and the kinds are written in the order they refer to each other."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.fulfilment.stock import StockLevel
from models.imports.kinds import JobKind
from models.master_data.customers import Customer
from models.master_data.products import Product
from models.outbox import OutboxMessage
from models.receivables.invoices import Invoice
from models.sales.orders import SalesOrder
from models.sales.price_lists import PriceListItem
from tests import factories
from tests.imports.files import csv_file, imported, workbook_file

CUSTOMERS = [
    ["code", "name", "email", "currency", "credit_limit"],
    ["C1", "华强电子", "ap@hq.example", "CNY", "50,000"],
    ["C2", "Acme", "ap@acme.example", "USD", "10,000"],
]
PRODUCTS = [["sku", "name", "unit_price"], ["W-1", "Widget", "10.00"]]
PRICES = [["price_list", "sku", "unit_price", "valid_from"], ["2026", "W-1", "9.50", "2026-01-01"]]
STOCK = [["warehouse", "sku", "quantity"], ["MAIN", "W-1", "100"]]
INVOICES = [
    ["number", "customer_code", "issue_date", "due_date", "amount", "paid", "currency"],
    ["OLD-1", "C1", "2026-08-01", "2026-09-01", "1,200.00", "200", "CNY"],
    ["OLD-2", "C2", "2026-10-01", "2026-11-01", "300.00", "", "USD"],
]
ORDERS = [
    ["order_number", "customer_code", "status", "order_date", "sku", "quantity", "unit_price"],
    ["OLD-SO-1", "C2", "approved", "2026-11-20", "W-1", "5", ""],
]
# Out of order on purpose: the sheets are written in the order the kinds refer to each other.
SHEETS = {
    "Open invoices": INVOICES,
    "open-orders": ORDERS,
    "stock": STOCK,
    "price_lists": PRICES,
    "products": PRODUCTS,
    "customers": CUSTOMERS,
}
WRITE_ORDER = ["customers", "products", "price-lists", "stock", "open-invoices", "open-orders"]


def counted(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_a_workbook_of_every_kind_is_written_in_the_order_they_refer_to_each_other(
    engine: Engine, tmp_path: Path
) -> None:
    factories.dunning_policy(engine)
    upload = workbook_file(tmp_path / "go-live.xlsx", SHEETS)

    job = imported(engine, JobKind.ALL, upload)

    assert job.status == "done", job.errors
    assert [step["kind"] for step in job.steps] == WRITE_ORDER
    assert [step["created"] for step in job.steps] == [2, 1, 1, 1, 2, 1]
    assert (job.counts.rows, job.counts.created, job.counts.workflows) == (8, 8, 3)
    with Session(engine) as session:
        owners = session.exec(
            select(Invoice.number, Customer.code)
            .join(Customer, col(Customer.id) == col(Invoice.customer_id))
            .order_by(col(Invoice.number))
        ).all()
        order = session.exec(select(SalesOrder)).one()
        price = session.exec(select(PriceListItem)).one()
        level = session.exec(select(StockLevel)).one()
    assert owners == [("OLD-1", "C1"), ("OLD-2", "C2")]
    assert (order.legacy_number, order.total) == ("OLD-SO-1", Decimal("47.50"))  # the list's price
    assert (price.sku, price.unit_price) == ("W-1", Decimal("9.50"))
    assert (level.sku, level.on_hand) == ("W-1", Decimal(100))
    assert counted(engine, OutboxMessage) == 3

    again = imported(engine, JobKind.ALL, upload)
    assert again.status == "done", again.errors
    assert (again.counts.created, again.counts.updated, again.counts.workflows) == (0, 0, 0)
    assert again.counts.unchanged == 8
    assert counted(engine, OutboxMessage) == 3


def test_one_bad_sheet_writes_nothing_and_every_error_names_its_sheet(
    engine: Engine, tmp_path: Path
) -> None:
    factories.dunning_policy(engine)
    bad_customers = [*CUSTOMERS, ["C3", "No mail", "not-an-address", "USD", "0"]]
    bad_invoices = [*INVOICES, ["OLD-3", "C9", "2026-10-01", "2026-11-01", "1.00", "", "USD"]]
    upload = workbook_file(
        tmp_path / "go-live.xlsx",
        {**SHEETS, "customers": bad_customers, "Open invoices": bad_invoices},
    )

    job = imported(engine, JobKind.ALL, upload)

    assert job.status == "invalid"
    assert [(e.sheet, e.row, e.column) for e in job.errors] == [
        ("customers", 4, "email"),
        ("Open invoices", 4, "customer_code"),
    ]
    assert str(job.errors[1]) == (
        "sheet Open invoices, row 4, column customer_code: "
        "customer C9 does not exist (import customers first)"
    )
    assert (job.counts.rows, job.counts.invalid) == (10, 2)
    assert [counted(engine, m) for m in (Customer, Product, Invoice, SalesOrder)] == [0, 0, 0, 0]
    assert job.steps == []
    assert job.errors_file is not None
    copy = load_workbook(job.errors_file, read_only=True)
    marked = {
        sheet.title: [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[-1]]
        for sheet in copy.worksheets
    }
    assert marked["customers"] == [
        "email: value is not a valid email address: An email address must have an @-sign."
    ]
    assert marked["Open invoices"] == [
        "customer_code: customer C9 does not exist (import customers first)"
    ]
    assert marked["stock"] == []


def test_sheets_not_named_by_a_kind_and_a_csv_are_refused(engine: Engine, tmp_path: Path) -> None:
    upload = workbook_file(
        tmp_path / "go-live.xlsx",
        {"customers": CUSTOMERS, "Notes": [["from the old ERP"]], "rules": [["column"]]},
    )
    job = imported(engine, JobKind.ALL, upload)
    assert job.status == "invalid"
    assert [str(error) for error in job.errors] == [
        "sheet Notes, the sheet: is not a kind: name each sheet by its kind (customers, products,"
        " price-lists, stock, open-invoices, open-orders) or delete it"
    ]

    job = imported(engine, JobKind.ALL, csv_file(tmp_path / "customers.csv", CUSTOMERS))
    assert job.status == "invalid"
    assert "an .xlsx workbook with a sheet per kind" in job.errors[0].message
    assert counted(engine, Customer) == 0
