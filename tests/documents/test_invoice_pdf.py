"""The invoice PDF, read back as text the way a customer's PDF viewer would show it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.documents.reading import pdf_text
from tests.fixtures.databases import on_sqlite_only
from tests.support.api_client import ApiClient


@on_sqlite_only
async def test_invoice_pdf_shows_number_totals_and_the_chinese_customer(
    engine: Engine, api: ApiClient
) -> None:
    buyer = factories.customer(
        engine,
        code="SHMZ",
        name="上海明珠贸易有限公司",
        language="zh",
        address="上海市浦东新区世纪大道100号",
        tax_id="91310000MA1K",
    )
    issued = date(2026, 11, 2)  # due on 2 December
    billed = factories.invoice(
        engine, buyer.id, "1000.00", tax_rate="0.13", issued=issued, description="橡木椅子"
    )

    response = await api.call("GET", f"/invoices/{billed.id}/pdf", Role.FINANCE, expect=200)

    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "INV-2026-" in text
    assert "上海明珠贸易有限公司" in text
    assert "上海市浦东新区世纪大道100号" in text
    assert "橡木椅子" in text
    assert "1,130.00" in text and "1,000.00" in text and "130.00" in text
    assert "1,130.0000" not in text  # amounts in the currency's decimals
    assert "2026年12月2日" in text  # the due date, as a Chinese reader writes it
    assert "付款说明" in text  # payment instructions, in the customer's language


@on_sqlite_only
async def test_pdf_of_a_missing_invoice_is_404(api: ApiClient) -> None:
    await api.call("GET", "/invoices/999/pdf", Role.FINANCE, expect=404)
    await api.call("GET", "/invoices/999/pdf", Role.WAREHOUSE, expect=403)
