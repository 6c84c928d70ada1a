"""Open invoices from the old system: each an invoice under its old number with what is still
owed, posted against the opening balance account (the trial balance still balances), its
collection queued at the level its days past due call for."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.receivables.ledger import account_balance, trial_balance
from models.imports.kinds import ImportKind
from models.outbox import OutboxMessage
from models.receivables.invoices import Invoice, InvoiceInstalment
from models.receivables.ledger import Account
from tests import factories
from tests.imports.files import TODAY, csv_file, imported, xlsx_file

HEADER = ["number", "customer_code", "issue_date", "due_date", "amount", "paid", "currency"]


def invoices(engine: Engine) -> list[tuple[str, Decimal, Decimal, Decimal, str]]:
    with Session(engine) as session:
        rows = session.exec(select(Invoice).order_by(col(Invoice.number))).all()
        return [(i.number, i.total, i.paid, i.outstanding, i.status) for i in rows]


def starts(engine: Engine) -> list[dict[str, object]]:
    with Session(engine) as session:
        return [m.payload for m in session.exec(select(OutboxMessage)).all()]


@pytest.fixture
def customers(engine: Engine) -> None:
    factories.dunning_policy(engine)
    factories.customer(engine, "ACME")
    factories.customer(engine, "TOKYO", currency="JPY")


def test_open_invoices_post_against_the_opening_balance(
    engine: Engine, tmp_path: Path, customers: None
) -> None:
    rows = [
        HEADER,
        ["OLD-1", "ACME", "2026-08-01", "2026-09-16", "1,200.00", "200", "USD"],
        ["OLD-2", "tokyo", 46000, 46030, "１０００００", "", "JPY"],
    ]
    job = imported(engine, ImportKind.OPEN_INVOICES, csv_file(tmp_path / "open.csv", rows))

    assert job.status == "done", job.errors
    assert (job.counts.created, job.counts.workflows) == (2, 2)
    assert invoices(engine) == [
        ("OLD-1", Decimal("1200.00"), Decimal("200.00"), Decimal("1000.00"), "partially_paid"),
        ("OLD-2", Decimal("100000"), Decimal("0"), Decimal("100000"), "open"),
    ]
    with Session(engine) as session:
        balance = trial_balance(session, TODAY)
        receivables = account_balance(session, Account.RECEIVABLES)
        opening = account_balance(session, Account.OPENING_BALANCE)
    assert balance.balanced
    assert receivables == Decimal("101000.00") == -opening


def test_collection_starts_at_the_level_of_its_days_past_due(
    engine: Engine, tmp_path: Path, customers: None
) -> None:
    due = TODAY - timedelta(days=75)
    rows = [
        HEADER,
        ["OLD-75", "ACME", due - timedelta(days=30), due, "500.00", "0", "USD"],
        ["OLD-NEW", "ACME", TODAY, TODAY + timedelta(days=30), "80.00", "0", "USD"],
    ]
    imported(engine, ImportKind.OPEN_INVOICES, csv_file(tmp_path / "open.csv", rows))

    levels = {p["due_date"]: p["start_at_level"] for p in starts(engine)}
    # DUNNING_LADDER: level 1 at 10 days, 2 at 30, 3 at 60.
    assert levels == {due.isoformat(): 3, (TODAY + timedelta(days=30)).isoformat(): 0}


def test_instalments_keep_their_dates_and_take_what_was_paid_first(
    engine: Engine, tmp_path: Path, customers: None
) -> None:
    rows = [
        [*HEADER, "instalments"],
        [
            "OLD-3",
            "ACME",
            date(2026, 9, 1),
            date(2026, 10, 1),
            "900",
            "400",
            "USD",
            "2026-10-01=300;2026-11-01=300;2026-12-01=300",
        ],
    ]
    job = imported(engine, ImportKind.OPEN_INVOICES, xlsx_file(tmp_path / "open.xlsx", rows))

    assert job.status == "done", job.errors
    with Session(engine) as session:
        parts = session.exec(select(InvoiceInstalment).order_by(col(InvoiceInstalment.seq))).all()
    assert [(p.due_date, p.amount, p.outstanding) for p in parts] == [
        (date(2026, 10, 1), Decimal("300.00"), Decimal("0.00")),
        (date(2026, 11, 1), Decimal("300.00"), Decimal("200.00")),
        (date(2026, 12, 1), Decimal("300.00"), Decimal("300.00")),
    ]


def test_same_file_twice_writes_no_second_invoice_nor_start(
    engine: Engine, tmp_path: Path, customers: None
) -> None:
    rows = [HEADER, ["OLD-1", "ACME", "2026-08-01", "2026-09-16", "1200.00", "0", "USD"]]
    path = csv_file(tmp_path / "open.csv", rows)
    imported(engine, ImportKind.OPEN_INVOICES, path)

    again = imported(engine, ImportKind.OPEN_INVOICES, path)

    assert (again.counts.created, again.counts.unchanged, again.counts.workflows) == (0, 1, 0)
    assert len(invoices(engine)) == 1 and len(starts(engine)) == 1


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_bad_open_invoices_are_refused_by_row_and_column(
    engine: Engine, tmp_path: Path, customers: None
) -> None:
    imported(
        engine,
        ImportKind.OPEN_INVOICES,
        csv_file(
            tmp_path / "a.csv",
            [HEADER, ["OLD-1", "ACME", "2026-08-01", "2026-09-16", "1200", "", "USD"]],
        ),
    )
    rows = [
        HEADER,
        ["OLD-2", "NOBODY", "2026-08-01", "2026-09-16", "10", "", "USD"],
        ["OLD-3", "ACME", "2026-08-01", "2026-07-16", "10", "", "USD"],
        ["OLD-4", "ACME", "2026-08-01", "2026-09-16", "10", "10", "USD"],
        ["OLD-5", "TOKYO", "2026-08-01", "2026-09-16", "10", "", "USD"],
        ["OLD-1", "ACME", "2026-08-01", "2026-09-16", "1300", "", "USD"],
        ["OLD-6", "ACME", "31.12.2026", "2026-09-16", "10", "", "USD"],
    ]

    job = imported(engine, ImportKind.OPEN_INVOICES, csv_file(tmp_path / "b.csv", rows))

    assert job.status == "invalid"
    assert [(e.row, e.column, e.message) for e in job.errors] == [
        (2, "customer_code", "customer NOBODY does not exist (import customers first)"),
        (3, None, "due_date is before issue_date"),
        (4, None, "paid is not below amount: a paid invoice is not an open one"),
        (5, "currency", "customer TOKYO is billed in JPY, not USD"),
        (
            6,
            "number",
            "invoice OLD-1 was imported before with other values; change it in o2c "
            "(payments, credit notes), not by importing again",
        ),
        (7, "issue_date", "'31.12.2026' is not a date (write 2026-01-31)"),
    ]
    assert [i[0] for i in invoices(engine)] == ["OLD-1"]
