"""Products, made through the product use case or posted to the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.master_data.products import create_product
from models.master_data.products import ProductCreate
from models.security.users import Role
from tests.factories.stock import receive
from tests.support.api_client import ApiClient

WIDGET: dict[str, Any] = {
    "sku": "WIDGET",
    "name": "Widget",
    "unit_price": "19.99",
    "tax_rate": "0.05",
}


def product(engine: Engine, sku: str = "WIDGET", price: str = "10.00", stock: int = 0) -> None:
    """A product taxed at 10 %, with `stock` units received into the main warehouse."""
    with Session(engine) as session, session.begin():
        create_product(
            session,
            ProductCreate(
                sku=sku, name=sku.title(), unit_price=Decimal(price), tax_rate=Decimal("0.10")
            ),
        )
    if stock:
        receive(engine, stock, sku)


async def posted_product(api: ApiClient, **changes: Any) -> dict[str, Any]:
    """WIDGET with these changes, created by sales through the API; the answer's body."""
    response = await api.post("/products", Role.SALES, {**WIDGET, **changes}, expect=201)
    return response.json()  # type: ignore[no-any-return]
