"""GET /reports/ar-aging: open amounts per customer and bucket, as of any day."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.reports.ageing import AgeingSource, ageing_report
from models.receivables.invoices import Invoice
from models.receivables.ledger import Account, LedgerLine
from models.reports.ageing import NOT_DUE, AgeingBasis, bucket_of
from models.security.users import Role
from tests import factories
from tests.fixtures.databases import on_sqlite_only
from tests.support.api_client import ApiClient

TODAY = date.today()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


async def test_ageing_puts_each_open_amount_in_its_bucket_per_customer_and_in_total(
    engine: Engine, api: ApiClient
) -> None:
    acme = factories.customer(engine, "ACME")
    beta = factories.customer(engine, "BETA")
    factories.invoice(engine, acme.id, "100.00", tax_rate="0", issued=ago(10))  # not due
    factories.invoice(engine, acme.id, "200.00", tax_rate="0", issued=ago(40))  # 10 days past due
    old = factories.invoice(engine, beta.id, "300.00", tax_rate="0", issued=ago(200))  # 170 days
    factories.payment(engine, beta.id, "120.00", received_on=ago(5), allocations={old.id: "120.00"})

    report = await api.get("/reports/ar-aging", Role.FINANCE)

    assert report["buckets"] == ["1-30", "31-60", "61-90", "91-120", "120+"]
    by_code = {row["code"]: row for row in report["customers"]}
    assert by_code["ACME"]["not_due"] == "100.00"
    assert by_code["ACME"]["amounts"]["1-30"] == "200.00"
    assert by_code["ACME"]["total"] == "300.00"
    assert by_code["BETA"]["amounts"]["120+"] == "180.00"
    [usd] = report["totals"]
    assert (usd["currency"], usd["not_due"], usd["total"]) == ("USD", "100.00", "480.00")
    assert usd["amounts"] == {
        "1-30": "200.00",
        "31-60": "0.00",
        "61-90": "0.00",
        "91-120": "0.00",
        "120+": "180.00",
    }


async def test_a_past_as_of_shows_what_was_open_on_that_day(engine: Engine, api: ApiClient) -> None:
    acme = factories.customer(engine, "ACME")
    first = factories.invoice(engine, acme.id, "100.00", tax_rate="0", issued=date(2026, 8, 1))
    later = date(2026, 10, 15)
    factories.invoice(engine, acme.id, "70.00", tax_rate="0", issued=later)  # after as_of
    before, after = date(2026, 9, 10), date(2026, 10, 20)
    factories.payment(engine, acme.id, "30.00", received_on=before, allocations={first.id: "30.00"})
    factories.payment(engine, acme.id, "70.00", received_on=after, allocations={first.id: "70.00"})

    then = await api.get("/reports/ar-aging?as_of=2026-10-01", Role.FINANCE)

    assert then["source"] == "ledger"
    [row] = then["customers"]
    assert row["total"] == "70.00"  # paid in full today; on 1 October 70.00 was open
    assert row["amounts"]["31-60"] == "70.00"  # 31 days past its due date
    now = await api.get("/reports/ar-aging", Role.FINANCE)
    assert [r["total"] for r in now["customers"]] == ["70.00"]


async def test_a_future_as_of_ages_todays_invoices_further(engine: Engine, api: ApiClient) -> None:
    acme = factories.customer(engine, "ACME")
    factories.invoice(engine, acme.id, "50.00", tax_rate="0", issued=TODAY)  # due in 30 days

    later = await api.get(f"/reports/ar-aging?as_of={TODAY + timedelta(days=100)}", Role.FINANCE)

    assert later["customers"][0]["amounts"]["61-90"] == "50.00"
    assert later["customers"][0]["not_due"] == "0.00"


async def test_custom_buckets_and_invoice_date_basis(engine: Engine, api: ApiClient) -> None:
    acme = factories.customer(engine, "ACME")
    factories.invoice(engine, acme.id, "80.00", tax_rate="0", issued=ago(45))  # 15 days past due

    by_due = await api.get("/reports/ar-aging?buckets=14,28", Role.FINANCE)
    by_issue = await api.get("/reports/ar-aging?buckets=14,28&basis=invoice_date", Role.FINANCE)

    assert by_due["buckets"] == ["1-14", "15-28", "28+"]
    assert by_due["customers"][0]["amounts"]["15-28"] == "80.00"
    assert by_issue["customers"][0]["amounts"]["28+"] == "80.00"


def test_the_ledger_and_the_outstanding_column_give_the_same_report(engine: Engine) -> None:
    rng = random.Random(7)
    terms = (0, 14, 30, 60)  # days to pay: each of the six customers has an account on each
    accounts = {
        (n, days): factories.customer(engine, f"C{n}-{days}", payment_terms_days=days).id
        for n in range(6)
        for days in terms
    }
    for _ in range(40):
        who = rng.choice(range(6))
        issued = ago(rng.randint(0, 300))
        account = accounts[who, rng.choice(terms)]
        price = f"{rng.randint(1, 5000)}.{rng.randint(0, 99):02d}"
        billed = factories.invoice(engine, account, price, tax_rate="0", issued=issued)
        if rng.random() < 0.4:
            received = min(TODAY, issued + timedelta(days=5))
            allocations = {billed.id: "1.01"}
            factories.payment(
                engine, account, "1.01", received_on=received, allocations=allocations
            )
    with Session(engine) as session:
        for basis in AgeingBasis:
            for as_of in (TODAY, TODAY + timedelta(days=45)):
                args = (session, as_of, basis, (30, 60, 90))
                ledger = ageing_report(*args, source=AgeingSource.LEDGER)
                fast = ageing_report(*args, source=AgeingSource.INVOICE)
                assert ledger.customers == fast.customers and ledger.totals == fast.totals
                assert ageing_report(*args).source == "invoice"  # nothing posted after
        assert ageing_report(session, ago(3), AgeingBasis.DUE_DATE, (30,)).source == "ledger"


def test_a_past_as_of_matches_the_ledger_lines_posted_by_then(engine: Engine) -> None:
    """The as-of path reads today's outstanding less what was posted later: on any past day it
    must give each customer the sum of their receivable lines posted up to that day, with the
    invoices paid in full since, partly paid since, and issued since."""
    rng = random.Random(11)
    accounts = [factories.customer(engine, f"P{n}").id for n in range(5)]
    for _ in range(30):
        account = rng.choice(accounts)
        issued = ago(rng.randint(0, 200))
        price = f"{rng.randint(1, 900)}.{rng.randint(0, 99):02d}"
        billed = factories.invoice(engine, account, price, tax_rate="0", issued=issued)
        third = (Decimal(price) / 3).quantize(Decimal("0.01"))
        # Nothing paid, paid in full, a third paid, or a third and then the rest.
        paid = rng.choice([[], [Decimal(price)], [third], [third, Decimal(price) - third]])
        for part in paid:
            received = min(TODAY, issued + timedelta(days=rng.randint(0, 90)))
            allocations = {billed.id: part}
            factories.payment(
                engine, account, str(part), received_on=received, allocations=allocations
            )
    with Session(engine) as session:
        lines = session.exec(
            select(LedgerLine).where(LedgerLine.account == Account.RECEIVABLES)
        ).all()
        owner = {i.id: i.customer_id for i in session.exec(select(Invoice)).all()}
        for as_of in (ago(1), ago(20), ago(60), ago(150)):
            expected: dict[int, Decimal] = {}
            for line in lines:
                if line.posted_on <= as_of and line.invoice_id is not None:
                    who = owner[line.invoice_id]
                    expected[who] = expected.get(who, Decimal(0)) + line.debit - line.credit
            report = ageing_report(session, as_of, AgeingBasis.DUE_DATE, (30, 60, 90))
            assert report.source == "ledger"
            shown = {c.customer_id: c.total for c in report.customers}
            assert shown == {who: total for who, total in expected.items() if total}


def test_the_sql_buckets_match_the_pure_rule(engine: Engine) -> None:
    acme = factories.customer(engine, "ACME")
    as_of = TODAY + timedelta(days=10)
    expected: dict[str, Decimal] = {}
    for age in (-3, 0, 1, 30, 31, 60, 61, 90, 91, 500):
        due = as_of - timedelta(days=age)
        factories.invoice(engine, acme.id, "10.00", tax_rate="0", due=due)
        label = bucket_of(as_of, due, due, (30, 60, 90))
        expected[label] = expected.get(label, Decimal(0)) + Decimal("10.00")
    with Session(engine) as session:
        [row] = ageing_report(session, as_of, AgeingBasis.DUE_DATE, (30, 60, 90)).customers
    got = {NOT_DUE: row.not_due, **row.amounts}
    assert {k: v for k, v in got.items() if v} == expected


async def test_ageing_as_csv_and_as_an_excel_workbook(engine: Engine, api: ApiClient) -> None:
    acme = factories.customer(engine, "ACME")
    factories.invoice(engine, acme.id, "1234.56", tax_rate="0", issued=ago(40))  # 10 days past due

    as_csv = await api.call("GET", "/reports/ar-aging?format=csv", Role.FINANCE, expect=200)
    as_xlsx = await api.call("GET", "/reports/ar-aging?format=xlsx", Role.AUDITOR, expect=200)

    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["customer_id", "code", "name", "currency", "not_due"]
    assert rows[1][1] == "ACME" and rows[1][5] == "1234.56" and rows[-1][1] == "TOTAL"
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][-1] == "total"
    assert values[1][1] == "ACME" and Decimal(str(values[1][-1])) == Decimal("1234.56")


@on_sqlite_only
async def test_bad_report_parameters_are_refused(api: ApiClient) -> None:
    for query in (
        "buckets=60,30",
        "buckets=a",
        "basis=posting_date",
        "as_of=yesterday",
        "format=pdf",
    ):
        await api.call("GET", f"/reports/ar-aging?{query}", Role.FINANCE, expect=422)
    await api.call("GET", "/reports/ar-aging", Role.WAREHOUSE, expect=403)
