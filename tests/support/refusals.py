"""What the API tests share: sample master data and the checks for a refused request."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from models.security.users import Role
from tests.helpers import ApiClient

ACME: dict[str, Any] = {
    "code": "ACME",
    "name": "Acme Trading",
    "email": "ap@acme.example",
    "credit_limit": "10000.00",
    "payment_terms_days": 30,
}
WIDGET: dict[str, Any] = {
    "sku": "WIDGET",
    "name": "Widget",
    "unit_price": "19.99",
    "tax_rate": "0.05",
}
TEN_MB = 10 * 1024 * 1024


async def create_customer(api: ApiClient, **changes: Any) -> dict[str, Any]:
    response = await api.post("/customers", Role.SALES, {**ACME, **changes}, expect=201)
    return response.json()  # type: ignore[no-any-return]


async def create_product(api: ApiClient, **changes: Any) -> dict[str, Any]:
    response = await api.post("/products", Role.SALES, {**WIDGET, **changes}, expect=201)
    return response.json()  # type: ignore[no-any-return]


async def receive(api: ApiClient, sku: str, quantity: str) -> dict[str, Any]:
    body = {"sku": sku, "quantity": quantity}
    response = await api.post("/stock/receipts", Role.WAREHOUSE, body, expect=201)
    return response.json()  # type: ignore[no-any-return]


async def total(api: ApiClient, path: str, **params: Any) -> int:
    return int((await api.get(path, Role.AUDITOR, params=params))["total"])


def rows(engine: Engine, table: type[SQLModel]) -> int:
    """For what no endpoint lists (payments, ledger entries)."""
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


async def send_raw(api: ApiClient, path: str, role: Role, content: bytes) -> httpx.Response:
    headers = {"content-type": "application/json"}
    return await api.call("POST", path, role, content=content, headers=headers)


def assert_refused_naming(response: httpx.Response, field: str) -> None:
    """A 4xx whose body points at the field: FastAPI's `loc` or our `detail` text and `field`."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    body = response.json()
    detail = body["detail"]
    if isinstance(detail, list):
        locations = [[str(part) for part in error["loc"]] for error in detail]
        assert any(field in location for location in locations), detail
    else:
        assert field in detail or body.get("field") == field, body
