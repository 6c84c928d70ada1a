"""The invoice PDF, read back as text the way a customer's PDF viewer would show it."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.report_fixtures import client_with_users, invoice, rename_customer


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def test_invoice_pdf_shows_number_totals_and_the_chinese_customer(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    buyer = factories.customer(
        sqlite_engine,
        code="SHMZ",
        language="zh",
        address="上海市浦东新区世纪大道100号",
        tax_id="91310000MA1K",
    )
    rename_customer(sqlite_engine, buyer.id, "上海明珠贸易有限公司")
    client = client_with_users(sqlite_engine, tmp_path)
    invoice_id = invoice(
        sqlite_engine,
        buyer.id,
        date(2026, 11, 2),
        date(2026, 12, 2),
        "1000.00",
        "130.00",
        description="橡木椅子",
    )

    response = await client.call("GET", f"/invoices/{invoice_id}/pdf", Role.FINANCE, expect=200)

    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "INV-2026-" in text
    assert "上海明珠贸易有限公司" in text
    assert "上海市浦东新区世纪大道100号" in text
    assert "橡木椅子" in text
    assert "1,130.00" in text and "1,000.00" in text and "130.00" in text
    assert "1,130.0000" not in text  # amounts in the currency's decimals
    assert "2026-12-02" in text  # the due date
    assert "付款说明" in text  # payment instructions, in the customer's language
    await client.aclose()


async def test_pdf_of_a_missing_invoice_is_404(sqlite_engine: Engine, tmp_path: Path) -> None:
    client = client_with_users(sqlite_engine, tmp_path)
    await client.call("GET", "/invoices/999/pdf", Role.FINANCE, expect=404)
    await client.call("GET", "/invoices/999/pdf", Role.WAREHOUSE, expect=403)
    await client.aclose()
