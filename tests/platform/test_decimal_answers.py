"""A decimal field reads the same in every answer: the object a POST answers with and the same
object read back with GET carry the same strings ("2.000", "10.0000", "39.98")."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient


def assert_read_back_the_same(created: dict[str, Any], read: dict[str, Any]) -> None:
    """Every field of the POST answer, field by field, in the GET answer (which may add more)."""
    for field, value in created.items():
        assert read[field] == value, (field, value, read[field])


async def test_a_new_order_answers_as_it_reads_back(api: ApiClient) -> None:
    customer = await factories.posted_customer(api)
    await factories.posted_product(api)  # tax rate "0.05"
    await factories.posted_receipt(api, "WIDGET", "10")
    body = {
        "customer_id": customer["id"],
        "lines": [{"sku": "WIDGET", "quantity": "2", "discount_pct": "10"}],
    }

    created = (await api.post("/orders", Role.SALES, body, expect=201)).json()
    read = await api.get(f"/orders/{created['id']}")

    assert_read_back_the_same(created, read)
    for created_line, read_line in zip(created["lines"], read["lines"], strict=True):
        assert_read_back_the_same(created_line, read_line)
    line = created["lines"][0]
    assert (line["quantity"], line["shipped_quantity"]) == ("2.000", "0.000")
    assert (line["discount_pct"], line["tax_rate"]) == ("10.0000", "0.0500")
    assert (line["unit_price"], line["net"], created["total"]) == ("19.99", "35.98", "37.78")


async def test_a_new_payment_answers_as_it_reads_back(engine: Engine, api: ApiClient) -> None:
    customer = factories.customer(engine)
    billed = factories.invoice(engine, customer.id)  # 100.00 + 10% tax
    body = {
        "customer_id": customer.id,
        "amount": "150",
        "received_on": "2026-02-01",
        "reference": "BANK-1",
    }

    created = (await api.post("/payments", Role.FINANCE, body, expect=201)).json()
    read = await api.get(f"/payments/{created['id']}")

    assert_read_back_the_same(created, read)
    assert created["amount"] == "150.00" and created["unapplied"] == "40.00"
    assert created["allocations"] == [{"invoice_id": billed.id, "amount": "110.00"}]
