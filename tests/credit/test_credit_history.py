"""Every change of a customer's credit limit or class is kept with who, when, why, before and
after; a large raise is recorded when the second credit manager approves it."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient


async def history(api: ApiClient, customer_id: int) -> list[dict[str, object]]:
    found = await api.get(f"/customers/{customer_id}/credit-history", Role.AUDITOR)
    return [
        {
            k: item[k]
            for k in ("term", "before", "after", "source", "reason", "changed_by", "approved_by")
        }
        for item in found["items"]
    ]


async def test_a_manual_change_of_limit_and_class_is_kept_with_its_reason(
    api: ApiClient, engine: Engine
) -> None:
    customer = factories.customer(engine)

    await api.call(
        "PATCH",
        f"/customers/{customer.id}",
        Role.CREDIT_MANAGER,
        expect=200,
        json={"credit_limit": "15000.00", "credit_class": "gold", "reason": "audited accounts"},
    )
    await api.call(
        "PATCH", f"/customers/{customer.id}", Role.SALES, expect=200, json={"phone": "+1 555"}
    )

    manual = {"source": "manual", "reason": "audited accounts", "changed_by": "credit_manager"}
    assert await history(api, customer.id) == [
        {
            "term": "credit_limit",
            "before": "10000.00",
            "after": "15000.00",
            **manual,
            "approved_by": None,
        },
        {
            "term": "credit_class",
            "before": "standard",
            "after": "gold",
            **manual,
            "approved_by": None,
        },
    ]
    seen = await api.get(f"/customers/{customer.id}")
    assert "reason" not in seen and seen["credit_limit"] == "15000.00"


async def test_a_large_raise_enters_the_history_when_approved_by_the_second_manager(
    api: ApiClient, engine: Engine
) -> None:
    factories.user(engine, "cm2", [Role.CREDIT_MANAGER])
    customer = factories.customer(engine)
    asked = await api.call(
        "PATCH",
        f"/customers/{customer.id}",
        Role.CREDIT_MANAGER,
        expect=202,
        json={"credit_limit": "80000.00", "reason": "new contract"},
    )
    assert await history(api, customer.id) == []

    change_id = asked.json()["pending_limit_change_id"]
    await api.post(f"/credit-limit-changes/{change_id}/approve", "cm2", expect=200)

    assert await history(api, customer.id) == [
        {
            "term": "credit_limit",
            "before": "10000.00",
            "after": "80000.00",
            "source": "limit_approval",
            "reason": "new contract",
            "changed_by": "credit_manager",
            "approved_by": "cm2",
        }
    ]


async def test_region_and_segment_are_kept_on_the_customer(api: ApiClient) -> None:
    created = await factories.posted_customer(api, region="APAC", segment="Retail")

    changed = await api.call(
        "PATCH", f"/customers/{created['id']}", Role.SALES, expect=200, json={"region": "EMEA"}
    )

    assert (changed.json()["region"], changed.json()["segment"]) == ("EMEA", "Retail")


async def test_the_history_is_read_by_credit_roles_only(api: ApiClient, engine: Engine) -> None:
    customer = factories.customer(engine)

    await api.call("GET", f"/customers/{customer.id}/credit-history", Role.SALES, expect=403)
    await api.call("GET", "/customers/99999/credit-history", Role.CREDIT_MANAGER, expect=404)
