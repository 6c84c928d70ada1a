"""Products: unique SKUs, exact prices and tax rates, read back as strings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.security.users import Role
from tests import factories
from tests.factories import WIDGET
from tests.support.api_client import ApiClient
from tests.support.refusals import assert_refused_naming


async def test_created_product_reads_back_with_price_and_tax_as_strings(api: ApiClient) -> None:
    created = await api.post("/products", Role.FINANCE, WIDGET)

    assert created.status_code == 201, created.text
    product = created.json()
    assert product["unit_price"] == "19.99"
    assert isinstance(product["tax_rate"], str) and Decimal(product["tax_rate"]) == Decimal("0.05")
    assert await api.get(f"/products/{product['id']}", Role.AUDITOR) == product
    assert (await api.get("/products"))["items"] == [product]


async def test_patch_changes_price_and_tax(api: ApiClient) -> None:
    product = await factories.posted_product(api)

    response = await api.call(
        "PATCH",
        f"/products/{product['id']}",
        Role.SALES,
        json={"unit_price": "21.50", "tax_rate": "0.19"},
    )

    assert response.status_code == 200, response.text
    assert response.json()["unit_price"] == "21.50"
    assert Decimal(response.json()["tax_rate"]) == Decimal("0.19")
    assert await api.get(f"/products/{product['id']}") == response.json()


async def test_list_pages_with_limit_and_offset(api: ApiClient) -> None:
    for n in range(3):
        await factories.posted_product(api, sku=f"SKU-{n}")

    page = await api.get("/products", params={"limit": 1, "offset": 2})

    assert page["total"] == 3
    assert [p["sku"] for p in page["items"]] == ["SKU-2"]


async def test_duplicate_sku_is_409_and_nothing_written(api: ApiClient) -> None:
    product = await factories.posted_product(api)

    response = await api.post("/products", Role.SALES, {**WIDGET, "unit_price": "1.00"})

    assert response.status_code == 409
    assert response.json()["field"] == "sku"
    assert await api.total("/products") == 1
    assert await api.get(f"/products/{product['id']}") == product


async def test_negative_price_is_422_and_nothing_written(api: ApiClient) -> None:
    response = await api.post("/products", Role.SALES, {**WIDGET, "unit_price": "-0.01"})

    assert response.status_code == 422
    assert_refused_naming(response, "unit_price")
    assert await api.total("/products") == 0


@pytest.mark.parametrize("rate", ["-0.01", "1.01", "5", "0.12345"])
async def test_tax_rate_outside_0_to_1_or_finer_than_4_decimals_is_422(
    api: ApiClient, rate: str
) -> None:
    response = await api.post("/products", Role.SALES, {**WIDGET, "tax_rate": rate})

    assert response.status_code == 422
    assert_refused_naming(response, "tax_rate")
    assert await api.total("/products") == 0


async def test_patch_with_null_price_or_bad_tax_is_422_and_keeps_the_product(
    api: ApiClient,
) -> None:
    product = await factories.posted_product(api)
    path = f"/products/{product['id']}"

    for body, field in (({"unit_price": None}, "unit_price"), ({"tax_rate": "1.5"}, "tax_rate")):
        response = await api.call("PATCH", path, Role.SALES, json=body)
        assert response.status_code == 422, response.text
        assert_refused_naming(response, field)

    assert await api.get(path) == product
