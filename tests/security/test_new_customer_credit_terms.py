"""A new customer's credit terms are the credit managers', as a change of them is: a sales rep or
finance creating a customer with a credit limit or class of their choosing gets 403 naming the
field and nothing is created; the defaults, and the billing e-mail every customer needs, pass."""

from __future__ import annotations

from typing import Any

import pytest

from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient


@pytest.mark.parametrize(
    ("terms", "named"),
    [({"credit_limit": "99999.00"}, "credit_limit"), ({"credit_class": "vip"}, "credit_class")],
)
@pytest.mark.parametrize("role", [Role.SALES, Role.FINANCE])
async def test_only_a_credit_manager_gives_a_new_customer_credit_terms(
    api: ApiClient, role: Role, terms: dict[str, Any], named: str
) -> None:
    refused = await api.post("/customers", role, {**factories.NEW_ACME, **terms})
    granted = await api.post(
        "/customers", Role.CREDIT_MANAGER, {**factories.NEW_ACME, **terms}, expect=201
    )

    assert refused.status_code == 403, refused.text
    assert refused.json()["field"] == named
    assert "only a credit manager" in refused.json()["detail"]
    assert (await api.get("/customers", Role.SALES))["total"] == 1
    assert granted.json()[named] == terms[named]


async def test_a_sales_rep_creates_a_customer_on_the_default_terms(api: ApiClient) -> None:
    body = {**factories.NEW_ACME, "credit_limit": "0", "credit_class": "standard"}

    created = await api.post("/customers", Role.SALES, body, expect=201)

    assert (created.json()["credit_limit"], created.json()["credit_class"]) == ("0.00", "standard")
    assert created.json()["email"] == "ap@acme.example"
