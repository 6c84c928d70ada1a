"""Stock receipts through the API: they show in the stock levels; unknown SKUs, fractions of
whole-unit products and quantities finer than the stock ledger keeps are refused."""

from __future__ import annotations

from decimal import Decimal

from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.refusals import assert_refused_naming


async def test_receipts_show_in_stock_levels(api: ApiClient) -> None:
    await factories.posted_product(api)

    first = await factories.posted_receipt(api, "WIDGET", "10")
    await factories.posted_receipt(api, "WIDGET", "5")

    assert Decimal(first["on_hand"]) == 10
    levels = await api.get("/stock", Role.AUDITOR, params={"sku": "WIDGET"})
    assert levels["total"] == 1
    level = levels["items"][0]
    assert (level["sku"], level["warehouse"]) == ("WIDGET", "MAIN")
    quantities = [Decimal(level[k]) for k in ("on_hand", "reserved", "available")]
    assert quantities == [15, 0, 15]


async def test_receipt_for_unknown_sku_is_404_and_nothing_written(api: ApiClient) -> None:
    response = await api.post("/stock/receipts", Role.WAREHOUSE, {"sku": "NOPE", "quantity": "1"})

    assert response.status_code == 404
    assert_refused_naming(response, "sku")
    assert await api.get("/stock") == {"items": [], "total": 0}


async def test_fractional_receipt_of_a_whole_unit_product_is_422(api: ApiClient) -> None:
    await factories.posted_product(api)
    await factories.posted_receipt(api, "WIDGET", "3")

    response = await api.post(
        "/stock/receipts", Role.WAREHOUSE, {"sku": "WIDGET", "quantity": "1.5"}
    )

    assert response.status_code == 422
    assert_refused_naming(response, "quantity")
    level = (await api.get("/stock", params={"sku": "WIDGET"}))["items"][0]
    assert Decimal(level["on_hand"]) == 3


async def test_fractional_receipt_of_a_product_sold_by_weight_is_kept(api: ApiClient) -> None:
    await factories.posted_product(api, sku="FLOUR", unit="kg", whole_units=False)

    await factories.posted_receipt(api, "FLOUR", "2.5")

    level = (await api.get("/stock", params={"sku": "FLOUR"}))["items"][0]
    assert Decimal(level["on_hand"]) == Decimal("2.5")


async def test_quantity_finer_than_the_stock_ledger_keeps_is_422(api: ApiClient) -> None:
    await factories.posted_product(api, sku="FLOUR", unit="kg", whole_units=False)

    response = await api.post(
        "/stock/receipts", Role.WAREHOUSE, {"sku": "FLOUR", "quantity": "1.2345"}
    )

    assert response.status_code == 422
