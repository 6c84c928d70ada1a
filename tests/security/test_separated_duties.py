"""Duties separated, tried through the API: credit terms are the credit managers', a large limit
raise needs a second credit manager, and pieces of a write-off add up to the approval amount."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.audit import duty_refusals
from tests.support.settings import make_settings


@pytest.fixture
def settings(tmp_path: Any) -> Any:
    """Raises above 20000.00 wait for a second credit manager."""
    return make_settings(
        tmp_path, temporal_address="127.0.0.1:1", credit_limit_approval_above=Decimal("20000.00")
    )


async def customer_as_seen(api: ApiClient, customer_id: int) -> dict[str, Any]:
    found: dict[str, Any] = await api.get(f"/customers/{customer_id}", Role.SALES)
    return found


@pytest.mark.parametrize(
    "change",
    [{"credit_limit": "99999.00"}, {"credit_class": "vip"}, {"email": "me@rep.example"}],
)
async def test_a_sales_rep_may_not_change_credit_terms(
    api: ApiClient, engine: Engine, change: dict[str, str]
) -> None:
    customer = factories.customer(engine)

    refused = await api.call("PATCH", f"/customers/{customer.id}", Role.SALES, json=change)
    finance = await api.call("PATCH", f"/customers/{customer.id}", Role.FINANCE, json=change)

    assert refused.status_code == 403, refused.text
    assert "only a credit manager" in refused.json()["detail"]
    assert finance.status_code == 403
    path = f"/api/v1/customers/{customer.id}"
    rule = refused.json()["detail"]
    assert duty_refusals(engine) == [("sales", path, rule), ("finance", path, rule)]
    seen = await customer_as_seen(api, customer.id)
    assert (seen["credit_limit"], seen["credit_class"], seen["email"]) == (
        "10000.00",
        "standard",
        "ap@acme.example",
    )


async def test_a_sales_rep_still_edits_the_rest_of_a_customer(
    api: ApiClient, engine: Engine
) -> None:
    customer = factories.customer(engine)

    await api.call(
        "PATCH", f"/customers/{customer.id}", Role.SALES, expect=200, json={"phone": "+1 555"}
    )

    assert (await customer_as_seen(api, customer.id))["phone"] == "+1 555"


async def test_a_small_raise_by_a_credit_manager_applies_at_once(
    api: ApiClient, engine: Engine
) -> None:
    customer = factories.customer(engine)

    answer = await api.call(
        "PATCH",
        f"/customers/{customer.id}",
        Role.CREDIT_MANAGER,
        expect=200,
        json={"credit_limit": "20000.00"},
    )

    assert answer.json()["pending_limit_change_id"] is None
    assert (await customer_as_seen(api, customer.id))["credit_limit"] == "20000.00"


async def test_a_large_raise_waits_for_a_second_credit_manager(
    api: ApiClient, engine: Engine
) -> None:
    factories.user(engine, "cm2", [Role.CREDIT_MANAGER])
    customer = factories.customer(engine)

    asked = await api.call(
        "PATCH",
        f"/customers/{customer.id}",
        Role.CREDIT_MANAGER,
        expect=202,
        json={"credit_limit": "80000.00", "phone": "+1 555"},
    )
    change_id = asked.json()["pending_limit_change_id"]
    assert asked.json()["credit_limit"] == "10000.00"
    seen = await customer_as_seen(api, customer.id)
    assert (seen["credit_limit"], seen["phone"]) == ("10000.00", "+1 555")
    (waiting,) = (await api.get("/credit-limit-changes", Role.CREDIT_MANAGER))["items"]
    assert (waiting["id"], waiting["requested_limit"], waiting["state"]) == (
        change_id,
        "80000.00",
        "pending",
    )

    own = await api.post(f"/credit-limit-changes/{change_id}/approve", Role.CREDIT_MANAGER)
    assert own.status_code == 403, own.text
    assert "other than who asked" in own.json()["detail"]
    approve = f"/api/v1/credit-limit-changes/{change_id}/approve"
    assert duty_refusals(engine) == [("credit_manager", approve, own.json()["detail"])]
    await api.post(f"/credit-limit-changes/{change_id}/approve", Role.SALES, expect=403)
    assert (await customer_as_seen(api, customer.id))["credit_limit"] == "10000.00"

    approved = await api.post(f"/credit-limit-changes/{change_id}/approve", "cm2", expect=200)

    assert (approved.json()["state"], approved.json()["approved_by"]) == ("approved", "cm2")
    assert (await customer_as_seen(api, customer.id))["credit_limit"] == "80000.00"
    again = await api.post(f"/credit-limit-changes/{change_id}/approve", "cm2")
    assert again.status_code == 409


async def test_write_off_pieces_add_up_to_the_approval_amount(
    api: ApiClient, engine: Engine
) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id, price="1000.00")  # 1100.00 with tax
    path = f"/invoices/{issued.id}/write-off"

    first = await api.post(path, Role.FINANCE, {"amount": "400.00", "reason": "a"}, expect=201)
    second = await api.post(path, Role.FINANCE, {"amount": "200.00", "reason": "b"}, expect=202)

    assert first.json()["state"] == "posted"
    assert second.json()["state"] == "pending_approval"
    invoice = await api.get(f"/invoices/{issued.id}", Role.FINANCE)
    assert invoice["written_off"] == "400.00"
