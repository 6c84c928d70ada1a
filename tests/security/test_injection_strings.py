"""Injection strings in every text field that reaches a mail, a PDF, a CSV or an .xlsx: a
customer whose name, phone, address and tax id (and an invoice line whose description) hold
HTML, a template expression, a spreadsheet formula and SQL. The mail's HTML escapes them, the
PDFs print them as typed (`{{7*7}}` is never worked out to 49), every export keeps them as text,
and the database is untouched; a login tried under a formula-like name lands in the audit
export as text too."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.documents.mail_delivery import deliver
from activities.sales.order_mail import mail_rep
from models.sales.orders import SalesOrder
from models.security.users import Role
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.documents.reading import attached_pdf_text, html_part, pdf_text
from tests.fixtures.databases import on_sqlite_only
from tests.support.api_client import ApiClient
from tests.support.mail import body, catcher_server, queue_invoice_mail, received

HTML = "<img src=x onerror=alert(1)>"
TEMPLATE = "{{7*7}}"
FORMULA = '=HYPERLINK("http://x")'
SQL = "'; DROP TABLE customer;--"
NAME = f"{FORMULA} {HTML} {TEMPLATE}"
PHONE = FORMULA
ADDRESS = f"{SQL} {HTML} {TEMPLATE}"
TAX_ID = TEMPLATE
LINE = f"{TEMPLATE} {HTML} {SQL}"


def hostile_customer(engine: Engine) -> tuple[int, int]:
    """The customer, and an invoice of theirs due today: (customer id, invoice id)."""
    buyer = factories.customer(engine, "EVIL", name=NAME, phone=PHONE, address=ADDRESS)
    factories.customer(engine, "EVIL2", name=SQL, tax_id=TAX_ID)
    billed = factories.invoice(
        engine, buyer.id, "100.00", tax_rate="0", issued=date.today(), description=LINE
    )
    return buyer.id, billed.id


def flat(text: str) -> str:
    """Text as a reader sees it, whatever the line breaks a PDF puts in."""
    return " ".join(text.split())


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def xlsx_cells(content: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


async def export(api: ApiClient, path: str, file_format: str, role: Role = Role.FINANCE) -> bytes:
    joiner = "&" if "?" in path else "?"
    response = await api.call("GET", f"{path}{joiner}format={file_format}", role, expect=200)
    return response.content


def assert_text_not_formula(csv_content: bytes, xlsx_content: bytes, *values: str) -> None:
    """Each value is in the CSV with the quote a spreadsheet reads as text when it would start
    a formula, and in the workbook as a string cell, never a formula."""
    in_csv = csv_cells(csv_content)
    cells = xlsx_cells(xlsx_content)
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    strings = {cell.value for cell in cells if cell.data_type == "s"}
    for value in values:
        quoted = "'" + value if value[0] in "=+-@" else value
        assert quoted in in_csv, (value, in_csv)
        assert value in strings, value


async def test_the_invoice_mail_and_its_pdf_show_the_strings_as_typed(
    sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    customer_id, invoice_id = hostile_customer(sqlite_engine)
    mail_id = queue_invoice_mail(sqlite_engine, customer_id, invoice_id, "test/injection")

    await deliver(sqlite_engine, mail_id, catcher_server(mail_catcher))

    [mail] = received(mail_catcher)
    html = html_part(mail)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert TEMPLATE in html  # shown as typed, not worked out
    assert f"Dear {NAME}," in body(mail)
    printed = flat(attached_pdf_text(mail))
    for typed in (NAME, ADDRESS, LINE):
        assert typed in printed, typed


@on_sqlite_only
async def test_the_exports_keep_the_strings_as_text(engine: Engine, api: ApiClient) -> None:
    customer_id, _ = hostile_customer(engine)
    statement = f"/customers/{customer_id}/statement?from=2026-01-01&to={date.today()}"

    customers_csv = await export(api, "/exports/customers", "csv")
    customers_xlsx = await export(api, "/exports/customers", "xlsx")
    ageing_csv = await export(api, "/reports/ar-aging", "csv")
    ageing_xlsx = await export(api, "/reports/ar-aging", "xlsx")
    statement_pdf = await export(api, statement, "pdf")
    statement_xlsx = await export(api, statement, "xlsx")

    assert_text_not_formula(customers_csv, customers_xlsx, NAME, PHONE, ADDRESS, SQL, TAX_ID)
    assert_text_not_formula(ageing_csv, ageing_xlsx, NAME)
    assert not [c.value for c in xlsx_cells(statement_xlsx) if c.data_type == "f"]
    printed = flat(pdf_text(statement_pdf))
    assert NAME in printed and ADDRESS in printed
    names = [c["name"] for c in (await api.get("/customers", Role.AUDITOR))["items"]]
    assert sorted(names) == sorted([NAME, SQL])  # the table is still there, both rows in it


@on_sqlite_only
async def test_a_login_tried_under_a_formula_name_is_text_in_the_audit_export(
    api: ApiClient,
) -> None:
    refused = await api.log_in(FORMULA, "not-the-password")
    assert refused.status_code == 401

    audit_csv = await export(api, "/audit", "csv", Role.AUDITOR)
    audit_xlsx = await export(api, "/audit", "xlsx", Role.AUDITOR)

    assert_text_not_formula(audit_csv, audit_xlsx, FORMULA)


async def test_the_mail_about_a_stopped_order_names_the_customer_as_typed(
    sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    factories.user(sqlite_engine, "rep", [Role.SALES], email="rep@o2c.example")
    factories.product(sqlite_engine)
    customer_id, _ = hostile_customer(sqlite_engine)
    entered = factories.order(sqlite_engine, customer_id, user="rep")
    with Session(sqlite_engine) as session, session.begin():
        stopped = session.get(SalesOrder, entered.id)
        assert stopped is not None
        [mail_id] = mail_rep(session, stopped, key="test/stopped", reason=HTML)

    await deliver(sqlite_engine, mail_id, catcher_server(mail_catcher))

    [mail] = received(mail_catcher)
    html = html_part(mail)
    assert "<img" not in html and html.count("&lt;img src=x onerror=alert(1)&gt;") == 2
    assert TEMPLATE in html
    assert NAME in str(mail["Subject"])
