"""GET /customers/{id}/statement: opening balance, the period's documents and payments, closing
balance and ageing, as JSON, PDF and Excel."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.fixtures.databases import on_sqlite_only
from tests.support.api_client import ApiClient


def given_a_customer_with_history(engine: Engine, name: str | None = None) -> int:
    acme = factories.customer(engine, "ACME", name=name)
    old = factories.invoice(engine, acme.id, "300.00", tax_rate="0", issued=date(2026, 9, 20))
    before, during = date(2026, 9, 25), date(2026, 10, 12)
    # 100.00 paid before the period; 250.00 in it, 50.00 of them left unapplied.
    factories.payment(engine, acme.id, "100.00", received_on=before, allocations={old.id: "100.00"})
    factories.invoice(engine, acme.id, "150.00", issued=date(2026, 10, 5))  # 165.00 with tax
    factories.payment(engine, acme.id, "250.00", received_on=during, allocations={old.id: "200.00"})
    factories.invoice(engine, acme.id, "40.00", tax_rate="0", issued=date(2026, 11, 3))  # after
    return acme.id


async def test_statement_runs_from_the_opening_to_the_closing_balance(
    engine: Engine, api: ApiClient
) -> None:
    customer_id = given_a_customer_with_history(engine)

    statement = await api.get(
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


@on_sqlite_only
async def test_statement_as_pdf_and_as_excel(engine: Engine, api: ApiClient) -> None:
    customer_id = given_a_customer_with_history(engine, name="北京长城贸易公司")
    url = f"/customers/{customer_id}/statement?from=2026-10-01&to=2026-10-31"

    pdf = await api.call("GET", f"{url}&format=pdf", Role.FINANCE, expect=200)
    xlsx = await api.call("GET", f"{url}&format=xlsx", Role.AUDITOR, expect=200)

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


@on_sqlite_only
async def test_a_statement_period_must_run_forwards(engine: Engine, api: ApiClient) -> None:
    customer_id = given_a_customer_with_history(engine)
    url = f"/customers/{customer_id}/statement"
    await api.call("GET", f"{url}?from=2026-11-01&to=2026-10-01", Role.FINANCE, expect=422)
    await api.call("GET", f"{url}?format=doc", Role.FINANCE, expect=422)
    await api.call("GET", "/customers/999/statement", Role.FINANCE, expect=404)
    await api.call("GET", url, Role.WAREHOUSE, expect=403)
