"""The auditor reads every list and is refused every write, which then changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine

from models.receivables.payments import Payment
from models.security.users import Role
from tests import factories
from tests.factories import WIDGET
from tests.support.api_client import ApiClient
from tests.support.database import rows


async def test_auditor_reads_every_list(api: ApiClient) -> None:
    await factories.posted_customer(api)
    await factories.posted_product(api)
    lists = ["/customers", "/products", "/stock", "/orders", "/invoices", "/shipments", "/users"]

    for path in lists:
        response = await api.call("GET", path, Role.AUDITOR)
        assert response.status_code == 200, (path, response.text)
        assert set(response.json()) == {"items", "total"}


async def test_auditor_gets_403_on_every_write_and_nothing_changes(
    api: ApiClient, engine: Engine
) -> None:
    customer = await factories.posted_customer(api)
    product = await factories.posted_product(api)
    await factories.posted_receipt(api, "WIDGET", "5")
    line = {"sku": "WIDGET", "quantity": "1"}
    writes: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/customers", {"code": "NEW", "name": "New", "email": "a@new.example"}),
        ("PATCH", f"/customers/{customer['id']}", {"name": "Renamed"}),
        ("POST", "/products", {**WIDGET, "sku": "NEW"}),
        ("PATCH", f"/products/{product['id']}", {"unit_price": "1.00"}),
        ("POST", "/stock/receipts", {"sku": "WIDGET", "quantity": "5"}),
        ("POST", "/orders", {"customer_id": customer["id"], "lines": [line]}),
        ("POST", "/orders/1/approve", {}),
        ("POST", "/orders/1/cancel", {"reason": "no"}),
        (
            "POST",
            "/payments",
            {
                "customer_id": customer["id"],
                "amount": "10.00",
                "received_on": "2026-01-05",
                "reference": "BANK-1",
            },
        ),
        ("POST", "/users", {"username": "x1", "password": "a-long-password", "roles": ["sales"]}),
    ]

    answers = {
        f"{method} {path}": (await api.call(method, path, Role.AUDITOR, json=body)).status_code
        for method, path, body in writes
    }

    assert answers == {route: 403 for route in answers}
    assert await api.get(f"/customers/{customer['id']}") == customer
    assert await api.get(f"/products/{product['id']}") == product
    assert (await api.total("/customers"), await api.total("/products")) == (1, 1)
    assert await api.total("/orders") == 0
    assert rows(engine, Payment) == 0
    stock = await api.get("/stock", params={"sku": "WIDGET"})
    assert Decimal(stock["items"][0]["on_hand"]) == 5
