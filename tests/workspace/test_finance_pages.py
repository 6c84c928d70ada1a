"""The finance clerk's pages over HTTP: a payment's allocation previewed then saved, unapplied
cash applied, the ageing report filtered and exported, a statement downloaded; a write-off
decided by a finance approver through the invoice's workflow; and the customer's unapplied
credit in the API."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator, Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.async_api import Browser, Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.receivables.write_offs import write_off_invoice
from api.main import create_app
from models.receivables.invoices import InvoicePublic
from models.receivables.write_offs import WriteOffCreate
from models.security.users import Role
from o2c.settings import Settings
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.receivables import current
from tests.support.workflows import Flow
from tests.workspace.pages import Person
from tests.workspace.server import served
from tests.workspace.test_browser_journey import CHROMIUM, browser  # noqa: F401 (a fixture)

RECEIVED = "2026-03-01"


def row_of(page: str, invoice: str) -> str:
    """The text of the table row about `invoice`, tags stripped."""
    found = re.search(rf'<tr data-invoice="{re.escape(invoice)}">(.*?)</tr>', page, re.S)
    assert found, page
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


@pytest.fixture
def two_invoices(sqlite_engine: Engine) -> tuple[int, InvoicePublic, InvoicePublic]:
    """ACME owes two invoices of 110.00 USD: one issued in January, one in February."""
    customer = factories.customer(sqlite_engine)
    older = factories.invoice(sqlite_engine, customer.id, issued=date(2026, 1, 1))
    newer = factories.invoice(sqlite_engine, customer.id, issued=date(2026, 2, 1))
    return customer.id, older, newer


@pytest.fixture
async def clerk(person: Callable[[], Person]) -> Person:
    someone = person()
    await someone.log_in("finance")
    return someone


async def test_a_payment_is_previewed_oldest_first_or_as_ticked_then_saved(
    clerk: Person, two_invoices: tuple[int, InvoicePublic, InvoicePublic], sqlite_engine: Engine
) -> None:
    customer_id, older, newer = two_invoices
    page = await clerk.open("/app/finance/payments/new")
    assert page.status_code == 200 and "ACME Ltd" in page.text
    typed = {
        "customer_id": str(customer_id),
        "amount": "150.00",
        "currency": "",
        "received_on": RECEIVED,
        "reference": "BANK-77",
    }

    oldest_first = await clerk.submit(page, "/app/finance/payments/preview", **typed)
    assert "oldest due first" in oldest_first.text
    assert row_of(oldest_first.text, older.number).endswith("110.00 USD 110.00 USD")
    assert row_of(oldest_first.text, newer.number).endswith("110.00 USD 40.00 USD")

    ticked = await clerk.submit(
        page, "/app/finance/payments/preview", invoice=[str(newer.id)], **typed
    )
    assert "the invoices ticked" in ticked.text
    assert row_of(ticked.text, older.number).endswith("110.00 USD 0.00 USD")
    assert row_of(ticked.text, newer.number).endswith("110.00 USD 110.00 USD")
    assert 'class="num unapplied">40.00 USD' in ticked.text
    assert current(sqlite_engine, older.id).paid == 0  # a preview saves nothing

    saved = await clerk.submit(page, "/app/finance/payments", key="pay-77", **typed)
    assert saved.status_code == 200
    assert "Payment recorded: BANK-77 · 150.00 USD" in saved.text
    assert re.search(
        rf"{older.number}</td><td[^>]*>110.00 USD</td><td[^>]*>0.00 USD</td><td>paid<", saved.text
    )
    assert "partially paid" in saved.text
    assert current(sqlite_engine, older.id).status == "paid"
    assert current(sqlite_engine, newer.id).paid == Decimal("40.00")


async def test_a_refused_payment_says_why_next_to_the_field_and_keeps_what_was_typed(
    clerk: Person, two_invoices: tuple[int, InvoicePublic, InvoicePublic]
) -> None:
    customer_id, _, _ = two_invoices
    page = await clerk.open("/app/finance/payments/new")
    answer = await clerk.submit(
        page,
        "/app/finance/payments",
        key="pay-eur",
        customer_id=str(customer_id),
        amount="150.00",
        currency="EUR",
        received_on=RECEIVED,
        reference="BANK-78",
    )
    assert "the payment is in EUR but ACME is billed in USD" in answer.text
    assert 'name="currency" maxlength="3" size="4"' in answer.text and 'value="EUR"' in answer.text
    assert 'value="BANK-78"' in answer.text and 'value="150.00"' in answer.text


async def test_unapplied_cash_is_applied_to_an_open_invoice(
    clerk: Person, sqlite_engine: Engine
) -> None:
    customer = factories.customer(sqlite_engine)
    invoice = factories.invoice(sqlite_engine, customer.id)
    factories.payment(sqlite_engine, customer.id, "200.00", allocations={})
    page = await clerk.open("/app/finance/credit")
    assert "ACME Ltd" in page.text and "200.00 USD" in page.text and invoice.number in page.text

    too_much = await clerk.submit(
        page,
        f"/app/finance/credit/{customer.id}/apply",
        key="apply-1",
        invoice_id=str(invoice.id),
        amount="500.00",
    )
    assert "more than the 200.00 unapplied credit" in too_much.text
    assert 'value="500.00"' in too_much.text

    applied = await clerk.submit(
        page, f"/app/finance/credit/{customer.id}/apply", key="apply-2", invoice_id=str(invoice.id)
    )
    assert "Applied 110.00 USD" in applied.text
    assert "Unapplied 90.00 USD" in applied.text
    assert current(sqlite_engine, invoice.id).status == "paid"


async def test_a_credit_note_is_issued_against_an_invoice(
    clerk: Person, two_invoices: tuple[int, InvoicePublic, InvoicePublic], sqlite_engine: Engine
) -> None:
    _, older, _ = two_invoices
    page = await clerk.open("/app/finance/credit-notes")
    assert older.number in page.text and "110.00 USD" in page.text
    fields = {"invoice_id": str(older.id), "reason": "damaged in transit"}

    too_much = await clerk.submit(
        page, "/app/finance/credit-notes", key="cn-1", amount="500.00", **fields
    )
    amount_field = too_much.text.split('name="amount"')[1].split("</label>")[0]
    assert "would exceed the invoice total 110.00" in amount_field
    assert 'value="500.00"' in too_much.text and 'value="damaged in transit"' in too_much.text

    issued = await clerk.submit(
        page, "/app/finance/credit-notes", key="cn-2", amount="55.00", **fields
    )
    assert re.search(r"Credit note issued: \S+ · 55.00 USD", issued.text), issued.text
    assert current(sqlite_engine, older.id).credited == Decimal("55.00")


async def test_the_api_tells_a_customers_unapplied_credit(engine: Engine, api: ApiClient) -> None:
    customer = factories.customer(engine)
    factories.invoice(engine, customer.id)
    factories.payment(engine, customer.id, "200.00", allocations={})
    credit = await api.get(f"/customers/{customer.id}/credit", Role.FINANCE)
    assert (credit["unapplied_credit"], credit["open_receivables"]) == ("200.00", "110.00")


async def test_the_ageing_report_filters_and_its_xlsx_reads_back(
    clerk: Person, sqlite_engine: Engine
) -> None:
    acme = factories.customer(sqlite_engine)
    beta = factories.customer(sqlite_engine, "BETA", currency="EUR")
    factories.invoice(sqlite_engine, acme.id, due=date(2026, 2, 1))
    factories.invoice(sqlite_engine, beta.id, "200.00", due=date(2026, 3, 10))
    as_of = "as_of=2026-03-15&basis=due_date"

    both = await clerk.open(f"/app/finance/ageing?{as_of}")
    assert 'data-customer="ACME"' in both.text and 'data-customer="BETA"' in both.text
    assert "ACME · ACME Ltd" in both.text
    in_usd = await clerk.open(f"/app/finance/ageing?{as_of}&currency=usd")
    assert 'data-customer="ACME"' in in_usd.text and 'data-customer="BETA"' not in in_usd.text
    assert (
        'href="/app/finance/ageing/export?format=xlsx&amp;as_of=2026-03-15&amp;basis=due_date&amp;currency=USD"'
        in in_usd.text
    )
    only_beta = await clerk.open(f"/app/finance/ageing?{as_of}&customer_id={beta.id}")
    assert 'data-customer="BETA"' in only_beta.text and "220.00 EUR" in only_beta.text
    assert 'data-customer="ACME"' not in only_beta.text

    exported = await clerk.open(f"/app/finance/ageing/export?format=xlsx&{as_of}&currency=USD")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:5] == ["customer_id", "code", "name", "currency", "not_due"]
    assert [r[1] for r in rows[1:]] == ["ACME", "TOTAL"]
    assert Decimal(str(rows[1][rows[0].index("31-60")])) == Decimal("110.00")


async def test_a_statement_is_downloaded_as_pdf_and_xlsx(
    clerk: Person, two_invoices: tuple[int, InvoicePublic, InvoicePublic]
) -> None:
    customer_id, _, _ = two_invoices
    period = "from=2026-01-01&to=2026-03-31"
    page = await clerk.open(f"/app/finance/statements?customer_id={customer_id}&{period}")
    assert "Closing balance" in page.text and "220.00 USD" in page.text
    pdf = await clerk.open(f"/app/finance/statements/{customer_id}/file?format=pdf&{period}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = await clerk.open(f"/app/finance/statements/{customer_id}/file?format=xlsx&{period}")
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames


@pytest.fixture
async def finance_approver(
    flow: Flow, sqlite_engine: Engine, live_settings: Settings
) -> AsyncIterator[Person]:
    factories.one_user_per_role(sqlite_engine)
    someone = Person(sqlite_engine, live_settings, flow.env.client)
    await someone.log_in("approver")
    yield someone
    await someone.aclose()


async def test_a_finance_approver_approves_a_waiting_write_off(
    flow: Flow, sqlite_engine: Engine, finance_approver: Person
) -> None:
    customer = factories.customer(sqlite_engine)
    issued = factories.invoice(sqlite_engine, customer.id, "1000.00", issued=await flow.today())
    await flow.start_collection(issued)
    with Session(sqlite_engine) as session, session.begin():
        waiting = write_off_invoice(
            session, issued.id, WriteOffCreate(reason="insolvent"), "finance", date.today(), "wo"
        )
    page = await finance_approver.open("/app/finance/write-offs")
    assert issued.number in page.text and "ACME Ltd" in page.text
    assert "1,100.00 USD" in page.text and "insolvent" in page.text

    decision = f"/app/finance/write-offs/{issued.id}/{waiting.id}/decision"
    answer = await finance_approver.submit(page, decision, key="wo-1", verdict="approve")
    assert answer.status_code == 200 and answer.text == ""
    assert current(sqlite_engine, issued.id).written_off == Decimal("1100.00")
    assert issued.number not in (await finance_approver.open("/app/finance/write-offs")).text

    again = await finance_approver.submit(page, decision, key="wo-2", verdict="reject")
    assert "not waiting for approval" in again.text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium")
async def test_a_finance_clerk_records_a_payment_with_its_preview_in_the_browser(
    two_invoices: tuple[int, InvoicePublic, InvoicePublic],
    sqlite_engine: Engine,
    page_settings: Settings,
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    factories.one_user_per_role(sqlite_engine)
    _, older, newer = two_invoices
    with served(create_app(page_settings, sqlite_engine)) as base_url:
        page = await browser.new_page(base_url=base_url)
        try:
            await _clerk_journey(page, older.number, newer.number)
        except BaseException:
            shot = tmp_path / "finance-journey-failure.png"
            await page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failure: {shot}")
            raise
    assert current(sqlite_engine, older.id).status == "paid"


async def _clerk_journey(page: Page, older: str, newer: str) -> None:
    await page.goto("/app/login")
    await page.get_by_label("Username").fill("finance")
    await page.get_by_label("Password").fill(factories.PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("link", name="Record a payment").click()

    await page.get_by_label("Customer").select_option(label="ACME · ACME Ltd (USD)")
    await page.get_by_label("Received on").fill(RECEIVED)
    await page.get_by_label("Reference").fill("BANK-9")
    await page.get_by_label("Amount").fill("150.00")
    await expect(page.locator(f'tr[data-invoice="{older}"] .applied')).to_have_text("110.00 USD")
    await expect(page.locator(f'tr[data-invoice="{newer}"] .applied')).to_have_text("40.00 USD")
    await page.get_by_role("button", name="Save the payment").click()
    await expect(page.get_by_role("status")).to_contain_text("Payment recorded: BANK-9")

    await page.get_by_label("Language").select_option("zh_Hans")
    await expect(page.get_by_role("heading", name="登记收款")).to_be_visible()
    await expect(page.get_by_role("link", name="未核销款项")).to_be_visible()
