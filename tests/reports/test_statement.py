"""GET /customers/{id}/statement: opening balance, the period's documents and payments, closing
balance and ageing, as JSON, PDF and Excel."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.report_fixtures import client_with_users, invoice, pay, rename_customer


def given_a_customer_with_history(engine: Engine) -> int:
    acme = factories.customer(engine, "ACME")
    old = invoice(engine, acme.id, date(2026, 9, 20), date(2026, 10, 20), "300.00")
    pay(engine, acme.id, "100.00", date(2026, 9, 25), {old: "100.00"})  # before the period
    new = invoice(engine, acme.id, date(2026, 10, 5), date(2026, 11, 4), "150.00", "15.00")
    pay(engine, acme.id, "250.00", date(2026, 10, 12), {old: "200.00"})  # 50.00 left unapplied
    invoice(engine, acme.id, date(2026, 11, 3), date(2026, 12, 3), "40.00")  # after the period
    assert new
    return acme.id


async def test_statement_runs_from_the_opening_to_the_closing_balance(
    engine: Engine, tmp_path: Path
) -> None:
    customer_id = given_a_customer_with_history(engine)
    client = client_with_users(engine, tmp_path)

    statement = await client.get(
        f"/customers/{customer_id}/statement?from=2026-10-01&to=2026-10-31", Role.FINANCE
    )

    assert statement["opening_balance"] == "200.00"
    moves = [
        (x["date"], x["document"], x["charges"], x["credits"], x["balance"])
        for x in statement["lines"]
    ]
    assert moves == [
        ("2026-10-05", "invoice", "165.00", "0.00", "365.00"),
        ("2026-10-12", "payment", "0.00", "250.00", "115.00"),
    ]
    # Open items 165.00 less the 50.00 unapplied credit.
    assert statement["closing_balance"] == "115.00"
    assert statement["unapplied_credit"] == "50.00"
    assert statement["ageing"]["as_of"] == "2026-10-31"
    assert statement["ageing"]["not_due"] == "165.00"
    assert statement["ageing"]["total"] == "165.00"
    await client.aclose()


async def test_statement_as_pdf_and_as_excel(sqlite_engine: Engine, tmp_path: Path) -> None:
    customer_id = given_a_customer_with_history(sqlite_engine)
    rename_customer(sqlite_engine, customer_id, "北京长城贸易公司")
    client = client_with_users(sqlite_engine, tmp_path)
    url = f"/customers/{customer_id}/statement?from=2026-10-01&to=2026-10-31"

    pdf = await client.call("GET", f"{url}&format=pdf", Role.FINANCE, expect=200)
    xlsx = await client.call("GET", f"{url}&format=xlsx", Role.AUDITOR, expect=200)

    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "北京长城贸易公司" in text and "115.00" in text and "365.00" in text
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["Statement"].iter_rows(values_only=True))
    assert rows[0] == ("date", "document", "reference", "charges", "credits", "balance")
    assert rows[1][1] == "opening_balance" and Decimal(str(rows[1][5])) == Decimal("200")
    assert rows[-2][1] == "closing_balance" and Decimal(str(rows[-2][5])) == Decimal("115")
    assert rows[-1][1] == "unapplied_credit" and Decimal(str(rows[-1][4])) == Decimal("50")
    assert list(book["Ageing"].iter_rows(values_only=True))[0][1] == "not_due"
    await client.aclose()


async def test_a_statement_period_must_run_forwards(sqlite_engine: Engine, tmp_path: Path) -> None:
    customer_id = given_a_customer_with_history(sqlite_engine)
    client = client_with_users(sqlite_engine, tmp_path)
    url = f"/customers/{customer_id}/statement"
    await client.call("GET", f"{url}?from=2026-11-01&to=2026-10-01", Role.FINANCE, expect=422)
    await client.call("GET", f"{url}?format=doc", Role.FINANCE, expect=422)
    await client.call("GET", "/customers/999/statement", Role.FINANCE, expect=404)
    await client.call("GET", url, Role.WAREHOUSE, expect=403)
    await client.aclose()
