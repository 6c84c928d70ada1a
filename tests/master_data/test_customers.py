"""Customers: create, read, change and list; codes are unique; money is exact and in strings."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from models.security.users import Role
from tests import factories
from tests.factories import ACME
from tests.support.api_client import ApiClient
from tests.support.refusals import assert_refused_naming


async def test_created_customer_reads_back_with_amounts_as_strings(api: ApiClient) -> None:
    created = await api.post("/customers", Role.CREDIT_MANAGER, {**ACME, "credit_limit": "2500.5"})

    assert created.status_code == 201, created.text
    customer = created.json()
    assert customer["credit_limit"] == "2500.50"
    assert (customer["code"], customer["currency"], customer["status"]) == ("ACME", "USD", "active")
    assert await api.get(f"/customers/{customer['id']}", Role.AUDITOR) == customer


async def test_patch_changes_only_the_fields_sent(api: ApiClient) -> None:
    customer = await factories.posted_customer(api, phone="+1 555 0100")

    response = await api.call(
        "PATCH",
        f"/customers/{customer['id']}",
        Role.CREDIT_MANAGER,
        json={"credit_limit": "20000.00", "payment_terms_days": 45},
    )

    assert response.status_code == 200, response.text
    expected = customer | {"credit_limit": "20000.00", "payment_terms_days": 45}
    assert response.json() == expected
    assert await api.get(f"/customers/{customer['id']}") == expected


async def test_patch_with_null_for_a_required_field_is_422_and_keeps_it(api: ApiClient) -> None:
    customer = await factories.posted_customer(api)

    for field in ("name", "email", "credit_limit"):
        response = await api.call(
            "PATCH", f"/customers/{customer['id']}", Role.SALES, json={field: None}
        )
        assert response.status_code == 422, (field, response.text)
        assert_refused_naming(response, field)

    assert await api.get(f"/customers/{customer['id']}") == customer


async def test_patch_can_clear_an_optional_field(api: ApiClient) -> None:
    customer = await factories.posted_customer(api, phone="+1 555 0100")

    response = await api.call(
        "PATCH", f"/customers/{customer['id']}", Role.SALES, json={"phone": None}
    )

    assert response.status_code == 200
    assert response.json()["phone"] is None


async def test_list_pages_with_limit_and_offset(api: ApiClient) -> None:
    for n in range(5):
        await factories.posted_customer(api, code=f"C{n}", name=f"Customer {n}")

    page = await api.get("/customers", Role.AUDITOR, params={"limit": 2, "offset": 1})

    assert page["total"] == 5
    assert [c["code"] for c in page["items"]] == ["C1", "C2"]
    beyond = await api.get("/customers", params={"limit": 2, "offset": 5})
    assert beyond == {"items": [], "total": 5}


async def test_limit_outside_bounds_is_422(api: ApiClient) -> None:
    for params in ({"limit": 0}, {"limit": 501}, {"offset": -1}):
        response = await api.call("GET", "/customers", Role.SALES, params=params)
        assert_refused_naming(response, next(iter(params)))


async def test_duplicate_customer_code_is_409_and_nothing_written(api: ApiClient) -> None:
    await factories.posted_customer(api)

    response = await api.post("/customers", Role.CREDIT_MANAGER, {**ACME, "name": "Another Acme"})

    assert response.status_code == 409
    assert response.json()["field"] == "code"
    assert await api.total("/customers") == 1
    assert (await api.get("/customers"))["items"][0]["name"] == "Acme Trading"


async def test_simultaneous_creates_with_one_code_give_one_customer_and_409s(
    api: ApiClient,
) -> None:
    answers = await asyncio.gather(
        *(
            api.post("/customers", Role.CREDIT_MANAGER, {**ACME, "name": f"Acme {n}"})
            for n in range(4)
        )
    )

    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    assert await api.total("/customers") == 1


async def test_invalid_email_is_422_and_nothing_written(api: ApiClient) -> None:
    response = await api.post("/customers", Role.CREDIT_MANAGER, {**ACME, "email": "not-an-email"})

    assert response.status_code == 422
    assert_refused_naming(response, "email")
    assert await api.total("/customers") == 0


async def test_credit_limit_with_more_decimals_than_the_currency_is_422(api: ApiClient) -> None:
    yen = await api.post(
        "/customers", Role.CREDIT_MANAGER, {**ACME, "currency": "JPY", "credit_limit": "100000.50"}
    )
    assert yen.status_code == 422
    assert_refused_naming(yen, "credit_limit")

    customer = await factories.posted_customer(api, currency="JPY", credit_limit="100000")
    assert Decimal(customer["credit_limit"]) == 100000
    change = await api.call(
        "PATCH", f"/customers/{customer['id']}", Role.CREDIT_MANAGER, json={"credit_limit": "5.50"}
    )
    assert change.status_code == 422
    assert_refused_naming(change, "credit_limit")
    assert await api.get(f"/customers/{customer['id']}") == customer


async def test_unknown_customer_is_404(api: ApiClient) -> None:
    response = await api.call("GET", "/customers/999", Role.SALES)
    change = await api.call("PATCH", "/customers/999", Role.SALES, json={"name": "x"})

    assert (response.status_code, change.status_code) == (404, 404)
    assert response.json()["field"] == "customer_id"
