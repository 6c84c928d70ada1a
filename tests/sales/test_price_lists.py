"""Price lists through the API, and the price an order line gets from them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from models.sales.price_lists import PriceListItem
from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.database import rows


def _item(
    price: str, valid_from: str = "2026-01-01", valid_to: str | None = None, min_quantity: str = "1"
) -> dict[str, object]:
    return {
        "sku": "WIDGET",
        "unit_price": price,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "min_quantity": min_quantity,
    }


async def test_order_line_takes_the_most_specific_valid_price(
    engine: Engine, api: ApiClient
) -> None:
    gold = factories.customer(engine, "GOLD", credit_class="gold")
    plain = factories.customer(engine, "PLAIN")
    factories.product(engine, price="10.00")
    await api.post(
        "/price-lists",
        Role.SALES,
        {
            "name": "Default 2026",
            "audience": "default",
            "items": [_item("9.50"), _item("9.00", min_quantity="10")],
        },
        expect=201,
    )
    await api.post(
        "/price-lists",
        Role.SALES,
        {
            "name": "Gold",
            "audience": "credit_class",
            "credit_class": "gold",
            "items": [_item("8.00", valid_to="2026-11-26"), _item("8.50", valid_from="2026-11-27")],
        },
        expect=201,
    )

    assert factories.order(engine, plain.id, quantity=1).lines[0].unit_price == Decimal("9.50")
    assert factories.order(engine, plain.id, quantity=10).lines[0].unit_price == Decimal("9.00")
    gold_line = factories.order(engine, gold.id, quantity=10).lines[0]
    assert (gold_line.unit_price, gold_line.price_source) == (Decimal("8.50"), "price_list:2")

    await api.post(
        "/price-lists",
        Role.SALES,
        {
            "name": "Gold Ltd own",
            "audience": "customer",
            "customer_id": gold.id,
            "items": [_item("7.00")],
        },
        expect=201,
    )
    assert factories.order(engine, gold.id, quantity=1).lines[0].unit_price == Decimal("7.00")


async def test_a_reps_price_override_is_recorded_beside_the_list_price(
    engine: Engine, api: ApiClient
) -> None:
    customer = factories.customer(engine)
    factories.product(engine, price="10.00")
    line = factories.order(engine, customer.id, quantity=2, unit_price=Decimal("7.00")).lines[0]
    assert (line.unit_price, line.list_price, line.price_source) == (
        Decimal("7.00"),
        Decimal("10.00"),
        "override",
    )
    same = factories.order(engine, customer.id, quantity=2, unit_price=Decimal("10.00")).lines[0]
    assert same.price_source == "product"


async def test_overlapping_validity_for_the_same_item_and_audience_is_refused(
    engine: Engine, api: ApiClient
) -> None:
    factories.product(engine)
    created = await api.post(
        "/price-lists",
        Role.SALES,
        {
            "name": "Default",
            "audience": "default",
            "items": [_item("9.00", valid_to="2026-06-30")],
        },
        expect=201,
    )
    list_id = created.json()["id"]
    overlap = await api.post(
        f"/price-lists/{list_id}/items",
        Role.SALES,
        [_item("8.00", valid_from="2026-07-01"), _item("8.50", valid_from="2026-06-30")],
    )
    assert overlap.status_code == 422 and "already has a price" in overlap.text
    other_list = await api.post(
        "/price-lists",
        Role.SALES,
        {
            "name": "Default bis",
            "audience": "default",
            "items": [_item("7.00")],
        },
    )
    assert other_list.status_code == 422
    assert rows(engine, PriceListItem) == 1
    names = [p["name"] for p in (await api.get("/price-lists", Role.SALES))["items"]]
    assert names == ["Default"]  # the refused list was not saved either
    # Another quantity break, or the next period, is fine.
    await api.post(
        f"/price-lists/{list_id}/items",
        Role.SALES,
        [_item("8.00", valid_from="2026-07-01"), _item("8.00", min_quantity="10")],
        expect=201,
    )
    assert rows(engine, PriceListItem) == 3


async def test_unknown_price_list_and_bad_prices_are_refused(
    engine: Engine, api: ApiClient
) -> None:
    missing = await api.post("/price-lists/999/items", Role.SALES, [_item("1.00")])
    assert missing.status_code == 404
    backwards = await api.post(
        "/price-lists",
        Role.SALES,
        {
            "name": "Backwards",
            "audience": "default",
            "items": [_item("1.00", valid_from="2026-02-01", valid_to="2026-01-01")],
        },
    )
    assert backwards.status_code == 422
    nobody = await api.post(
        "/price-lists",
        Role.SALES,
        {
            "name": "Ghost",
            "audience": "customer",
            "customer_id": 999,
            "items": [],
        },
    )
    assert nobody.status_code == 422
    mixed = await api.post(
        "/price-lists",
        Role.SALES,
        {
            "name": "Mixed",
            "audience": "default",
            "credit_class": "gold",
        },
    )
    assert mixed.status_code == 422
    assert (await api.get("/price-lists", Role.SALES))["total"] == 0
    denied = await api.post("/price-lists", Role.WAREHOUSE, {"name": "X", "audience": "default"})
    assert denied.status_code == 403


@pytest.mark.parametrize("discount", ["-1", "100.01", "150"])
async def test_an_order_discount_outside_0_to_100_is_refused(
    engine: Engine, api: ApiClient, discount: str
) -> None:
    customer = factories.customer(engine)
    factories.product(engine)
    response = await api.post(
        "/orders",
        Role.SALES,
        {
            "customer_id": customer.id,
            "lines": [{"sku": "WIDGET", "quantity": "1", "discount_pct": discount}],
        },
    )
    assert response.status_code == 422
    assert (await api.get("/orders", Role.SALES))["total"] == 0
