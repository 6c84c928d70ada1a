"""Invoices and statements read right in each customer's language: their words from the
catalogs, amounts in the currency's decimals, quantities without trailing zeros, dates as the
reader writes them, and a payment sentence that fits what is left to pay."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.documents.reading import LANGUAGES, WORDS, pdf_text
from tests.fixtures.databases import on_sqlite_only
from tests.support.api_client import ApiClient

ISSUED = date(2026, 11, 2)  # due on 2 December after 30 days


async def invoice_pdf(api: ApiClient, invoice_id: int) -> str:
    response = await api.call("GET", f"/invoices/{invoice_id}/pdf", Role.FINANCE, expect=200)
    return pdf_text(response.content)


@on_sqlite_only
@pytest.mark.parametrize("language", LANGUAGES)
async def test_invoice_pdf_is_in_the_customers_language(
    engine: Engine, api: ApiClient, language: str
) -> None:
    buyer = factories.customer(engine, "LANG", language=language)
    billed = factories.invoice(engine, buyer.id, "100.00", tax_rate="0", issued=ISSUED)

    text = await invoice_pdf(api, billed.id)

    words = WORDS[language]
    assert words["invoice"] in text and words["pay"] in text
    assert words["due"] in text  # the due date as this reader writes it


@on_sqlite_only
async def test_zh_is_read_as_simplified_chinese(engine: Engine, api: ApiClient) -> None:
    buyer = factories.customer(engine, "ALIAS", language="zh")
    billed = factories.invoice(engine, buyer.id, "100.00", tax_rate="0", issued=ISSUED)

    text = await invoice_pdf(api, billed.id)

    assert WORDS["zh_Hans"]["pay"] in text
    assert WORDS["zh_Hant"]["pay"] not in text


@on_sqlite_only
async def test_a_yen_invoice_shows_no_decimals(engine: Engine, api: ApiClient) -> None:
    buyer = factories.customer(engine, "TOKYO", currency="JPY", credit_limit="1000000")
    billed = factories.invoice(engine, buyer.id, "1350", quantity="2", tax_rate="0", issued=ISSUED)

    text = await invoice_pdf(api, billed.id)

    assert "2,700" in text and "1,350" in text
    assert "2,700.00" not in text and "1,350.00" not in text
    assert "Please pay 2,700 JPY by Dec 2, 2026" in text


@on_sqlite_only
async def test_a_dollar_invoice_shows_cents_and_whole_quantities(
    engine: Engine, api: ApiClient
) -> None:
    buyer = factories.customer(engine, "NYC")
    billed = factories.invoice(engine, buyer.id, "13.50", quantity="2", tax_rate="0", issued=ISSUED)

    text = await invoice_pdf(api, billed.id)

    assert "13.50" in text and "27.00" in text
    assert "13.5000" not in text and "2.000" not in text
    assert "Please pay 27.00 USD by Dec 2, 2026" in text


@on_sqlite_only
@pytest.mark.parametrize(
    ("language", "paid_sentence"),
    [
        ("en", "This invoice is paid. Thank you."),
        ("zh_Hant", "本發票已付清，謝謝。"),
        ("zh_Hans", "本发票已付清，谢谢。"),
    ],
)
async def test_a_paid_invoice_says_it_is_paid_not_please_pay_nothing(
    engine: Engine, api: ApiClient, language: str, paid_sentence: str
) -> None:
    buyer = factories.customer(engine, "PAID", language=language)
    billed = factories.invoice(engine, buyer.id, "100.00", tax_rate="0", issued=ISSUED)
    factories.payment(engine, buyer.id, "100.00", allocations={billed.id: "100.00"})

    text = await invoice_pdf(api, billed.id)

    assert paid_sentence in text.replace("\n", "")
    assert "0.00 USD" not in text


@on_sqlite_only
async def test_a_partly_paid_invoice_asks_for_what_remains(engine: Engine, api: ApiClient) -> None:
    buyer = factories.customer(engine, "PART")
    billed = factories.invoice(engine, buyer.id, "100.00", tax_rate="0", issued=ISSUED)
    factories.payment(engine, buyer.id, "40.00", allocations={billed.id: "40.00"})

    text = " ".join((await invoice_pdf(api, billed.id)).split())

    assert "60.00 USD of this invoice remain to be paid" in text
    assert "100.00 USD by" not in text


@on_sqlite_only
@pytest.mark.parametrize("language", LANGUAGES)
async def test_statement_pdf_is_in_the_customers_language(
    engine: Engine, api: ApiClient, language: str
) -> None:
    buyer = factories.customer(engine, "STMT", language=language)
    factories.invoice(engine, buyer.id, "150.00", tax_rate="0", issued=date(2026, 10, 5))
    url = f"/customers/{buyer.id}/statement?from=2026-10-01&to=2026-10-31&format=pdf"

    response = await api.call("GET", url, Role.FINANCE, expect=200)

    text = pdf_text(response.content)
    assert WORDS[language]["statement"] in text
    assert WORDS[language]["invoice"] in text  # the kind of each line, translated
    assert "150.00" in text


@pytest.mark.parametrize("language", ["en", "zh_Hant", "zh_Hans", "zh"])
async def test_a_customer_reads_english_traditional_or_simplified_chinese(
    api: ApiClient, language: str
) -> None:
    created = await factories.posted_customer(api, language=language)

    assert created["language"] == language  # stored as sent: `zh` stays `zh`, read as zh_Hans


async def test_a_language_without_a_catalog_is_refused(api: ApiClient) -> None:
    await api.post("/customers", Role.SALES, {**factories.ACME, "language": "fr"}, expect=422)
