"""Customers and products from CSV (UTF-8 with BOM, GB18030, Big5) and .xlsx: read as meant,
written all at once, the same file again changes nothing, a changed row says what changed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.security.audit_chain import verify_chain
from models.imports.kinds import ImportKind
from models.master_data.customers import Customer
from models.master_data.products import Product
from models.security.audit import AuditEvent
from tests.imports.files import csv_file, imported, xlsx_file

HEADER = ["code", "name", "email", "currency", "credit_limit", "payment_terms_days"]
ROWS = [
    ["C1", "深圳华强电子有限公司", "ap@hq.example", "CNY", "1,234,567.50", "30"],
    ["c2", "臺北信義股份有限公司", "ap@xy.example", "TWD", "５０００", "４５"],
    ["C3", "Tokyo KK", "ap@tk.example", "JPY", "1,000,000", ""],
]


def stored(engine: Engine) -> list[tuple[str, str, str, Decimal, int]]:
    with Session(engine) as session:
        rows = session.exec(select(Customer).order_by(col(Customer.code))).all()
        return [(c.code, c.name, c.currency, c.credit_limit, c.payment_terms_days) for c in rows]


EXPECTED = [
    ("C1", "深圳华强电子有限公司", "CNY", Decimal("1234567.50"), 30),
    ("C2", "臺北信義股份有限公司", "TWD", Decimal("5000"), 45),
    ("C3", "Tokyo KK", "JPY", Decimal("1000000"), 30),
]


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", True), ("utf-8", False), ("gb18030", False)]
)
def test_customers_from_csv_in_each_encoding(
    engine: Engine, tmp_path: Path, encoding: str, bom: bool
) -> None:
    path = csv_file(tmp_path / "customers.csv", [HEADER, *ROWS], encoding, bom)

    job = imported(engine, ImportKind.CUSTOMERS, path)

    assert job.status == "done", job.errors
    assert (job.counts.rows, job.counts.created) == (3, 3)
    assert stored(engine) == EXPECTED


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_big5_file_is_detected(engine: Engine, tmp_path: Path) -> None:
    rows = [HEADER, ["C2", "臺北信義股份有限公司", "ap@xy.example", "TWD", "5,000", "45"]]
    path = csv_file(tmp_path / "customers.csv", rows, "big5")

    job = imported(engine, ImportKind.CUSTOMERS, path)

    assert job.status == "done", job.errors
    assert stored(engine) == [EXPECTED[1]]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_customers_from_xlsx_with_numbers_as_spreadsheets_hold_them(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [HEADER, ["C1", "深圳华强电子有限公司", "ap@hq.example", "CNY", 1234567.5, 30]]
    path = xlsx_file(tmp_path / "customers.xlsx", rows + [r for r in ROWS[1:]])

    job = imported(engine, ImportKind.CUSTOMERS, path)

    assert job.status == "done", job.errors
    assert stored(engine) == EXPECTED


def test_same_file_twice_changes_nothing_the_second_time(engine: Engine, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "customers.csv", [HEADER, *ROWS])
    imported(engine, ImportKind.CUSTOMERS, path)

    again = imported(engine, ImportKind.CUSTOMERS, path)

    assert again.status == "done"
    assert (again.counts.created, again.counts.updated, again.counts.unchanged) == (0, 0, 3)
    assert stored(engine) == EXPECTED


def test_changed_row_updates_the_customer_and_says_what_changed(
    engine: Engine, tmp_path: Path
) -> None:
    imported(engine, ImportKind.CUSTOMERS, csv_file(tmp_path / "a.csv", [HEADER, *ROWS]))
    changed = [HEADER, ["C1", "华强电子", "ap@hq.example", "CNY", "2000000", "30"], ROWS[1]]

    job = imported(engine, ImportKind.CUSTOMERS, csv_file(tmp_path / "b.csv", changed))

    assert (job.counts.created, job.counts.updated, job.counts.unchanged) == (0, 1, 1)
    assert job.changes == [{"key": "C1", "changed": ["credit_limit", "name"]}]
    assert stored(engine)[0] == ("C1", "华强电子", "CNY", Decimal("2000000.00"), 30)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_dry_run_checks_everything_and_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "customers.csv", [HEADER, *ROWS])

    job = imported(engine, ImportKind.CUSTOMERS, path, dry_run=True)

    assert (job.status, job.counts.rows, job.errors) == ("done", 3, [])
    assert stored(engine) == []


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_one_bad_row_leaves_every_row_unwritten(engine: Engine, tmp_path: Path) -> None:
    rows = [HEADER, *ROWS, ["C4", "Bad", "ap@bad.example", "USD", "-5", "30"]]

    job = imported(engine, ImportKind.CUSTOMERS, csv_file(tmp_path / "c.csv", rows))

    assert job.status == "invalid"
    assert [(e.row, e.column) for e in job.errors] == [(5, "credit_limit")]
    assert stored(engine) == []


def audit_events(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all())


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_audit_trail_records_the_import_with_its_file_hash_and_user(
    engine: Engine, tmp_path: Path
) -> None:
    """One `imported` event for the import's new customers, not one each; a later file that
    changes a customer leaves that customer's `updated` row with before and after as well."""
    path = csv_file(tmp_path / "customers.csv", [HEADER, *ROWS])

    job = imported(engine, ImportKind.CUSTOMERS, path)

    [event] = audit_events(engine)
    assert (event.action, event.entity_type, event.entity_id) == (
        "imported",
        "import_job",
        str(job.id),
    )
    assert event.actor == "migrator"
    after = json.loads(event.after or "{}")
    assert (after["kind"], after["file"], after["sha256"]) == (
        "customers",
        "customers.csv",
        job.file_sha256,
    )
    assert (after["created"], after["updated"], after["unchanged"]) == (3, 0, 0)
    assert len(job.file_sha256) == 64

    changed = [[*ROWS[0][:4], "2,000,000.00", "30"], ROWS[1], ROWS[2]]
    again = imported(
        engine, ImportKind.CUSTOMERS, csv_file(tmp_path / "changed.csv", [HEADER, *changed])
    )

    first, update, second = audit_events(engine)
    assert first.id == event.id
    assert (update.action, update.entity_type, update.actor) == ("updated", "customer", "migrator")
    assert json.loads(update.before or "") == {"credit_limit": "1234567.5000"}
    assert json.loads(update.after or "") == {"credit_limit": "2000000.00"}
    counts = json.loads(second.after or "{}")
    assert (second.entity_id, second.actor, counts["sha256"]) == (
        str(again.id),
        "migrator",
        again.file_sha256,
    )
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (0, 1, 2)
    with Session(engine) as session:
        assert verify_chain(session).intact


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_products_from_xlsx_with_full_width_prices(engine: Engine, tmp_path: Path) -> None:
    rows = [
        ["SKU", "Name", "Unit", "Whole units", "Unit price", "Tax rate"],
        ["W-100", "Widget", "ea", "yes", "１９.９９", 0.13],
        ["P-200", "Paint", "l", "no", 1234.5, "0"],
    ]
    job = imported(engine, ImportKind.PRODUCTS, xlsx_file(tmp_path / "products.xlsx", rows))

    assert job.status == "done", job.errors
    with Session(engine) as session:
        products = session.exec(select(Product).order_by(col(Product.sku))).all()
    assert [(p.sku, p.unit_price, p.tax_rate, p.whole_units) for p in products] == [
        ("P-200", Decimal("1234.50"), Decimal("0"), False),
        ("W-100", Decimal("19.99"), Decimal("0.13"), True),
    ]
