"""Formula injection: a customer named `=HYPERLINK("http://x","y")` or `@SUM(1)`, or a payment
referenced `=1+2`, comes out of every CSV and .xlsx export as the text it is, never a formula a
spreadsheet would run; amounts, negative ones too, stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from models.security.users import Role
from notifications.tables import to_csv
from tests import factories
from tests.fixtures.databases import on_sqlite_only
from tests.support.api_client import ApiClient

HYPERLINK = '=HYPERLINK("http://x","y")'
AT_SUM = "@SUM(1)"


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@on_sqlite_only
async def test_customer_names_that_look_like_formulas_stay_text_in_the_ageing_exports(
    engine: Engine, api: ApiClient
) -> None:
    for code, name in (("EVIL", HYPERLINK), ("AT", AT_SUM)):
        customer = factories.customer(engine, code, name=name)
        factories.invoice(engine, customer.id, "100.00", tax_rate="0", issued=date.today())

    as_csv = await api.call("GET", "/reports/ar-aging?format=csv", Role.FINANCE, expect=200)
    as_xlsx = await api.call("GET", "/reports/ar-aging?format=xlsx", Role.FINANCE, expect=200)

    names = {row[1]: row[2] for row in csv_rows(as_csv.content)[1:]}
    assert names["EVIL"] == "'" + HYPERLINK and names["AT"] == "'" + AT_SUM
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    cells = {row[1].value: row[2] for row in sheet.iter_rows(min_row=2)}
    for code, name in (("EVIL", HYPERLINK), ("AT", AT_SUM)):
        assert (cells[code].value, cells[code].data_type) == (name, "s")
    amounts = [row[4] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "n" for cell in amounts)


@on_sqlite_only
async def test_the_sales_report_exports_keep_formula_names_as_text(
    engine: Engine, api: ApiClient
) -> None:
    customer = factories.customer(engine, "EVIL", name=HYPERLINK)
    factories.invoice(engine, customer.id, "100.00", tax_rate="0", issued=date.today())
    url = "/reports/sales?group_by=customer"

    as_csv = await api.call("GET", f"{url}&format=csv", Role.FINANCE, expect=200)
    as_xlsx = await api.call("GET", f"{url}&format=xlsx", Role.FINANCE, expect=200)

    assert "'" + HYPERLINK in [row[1] for row in csv_rows(as_csv.content)]
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    [name] = [c for row in sheet.iter_rows() for c in row if c.value == HYPERLINK]
    assert name.data_type == "s"


@on_sqlite_only
async def test_a_statement_keeps_a_formula_reference_as_text_and_a_negative_balance_a_number(
    engine: Engine, api: ApiClient
) -> None:
    customer = factories.customer(engine, "EVIL", name=AT_SUM)
    bill = factories.invoice(engine, customer.id, "100.00", tax_rate="0", issued=date(2026, 10, 1))
    factories.payment(
        engine,
        customer.id,
        "150.00",
        received_on=date(2026, 10, 5),
        reference="=1+2",
        allocations={bill.id: "100.00"},
    )
    url = f"/customers/{customer.id}/statement?from=2026-10-01&to=2026-10-31&format=xlsx"

    book = load_workbook(io.BytesIO((await api.call("GET", url, Role.FINANCE, expect=200)).content))

    payment = next(row for row in book["Statement"].iter_rows() if row[1].value == "payment")
    assert (payment[2].value, payment[2].data_type) == ("=1+2", "s")
    assert payment[5].data_type == "n" and Decimal(str(payment[5].value)) == Decimal("-50")


def test_csv_quotes_every_formula_start_but_leaves_negative_numbers_alone() -> None:
    starts = ["=1+2", "+1+2", "-1+2", "@SUM(1)", "\tx", "\rx"]
    rows: list[list[object]] = [[value] for value in starts]
    rows += [[Decimal("-5.00")], ["-12.50"], [-3], ["plain"]]

    read = [row[0] for row in csv_rows(to_csv(["value"], rows))[1:]]

    assert read == ["'" + value for value in starts] + ["-5.00", "-12.50", "-3", "plain"]
