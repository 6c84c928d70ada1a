"""Dunning policies through the API: per credit class, overridden per customer, admin only."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient

POLICY: dict[str, Any] = {
    "reminder_days_before_due": 5,
    "levels": [
        {"level": 1, "days_past_due": 14, "fee_fixed": "15.00", "template": "dunning_friendly"},
        {
            "level": 2,
            "days_past_due": 40,
            "fee_pct": "1.5",
            "annual_interest_rate": "0.09",
            "template": "dunning_final",
            "credit_hold": True,
            "escalate": True,
        },
    ],
    "min_outstanding": "20.00",
}


async def test_customer_override_beats_the_class_policy_which_beats_the_default(
    engine: Engine, api: ApiClient
) -> None:
    acme = factories.customer(engine, "ACME", credit_class="gold")
    beta = factories.customer(engine, "BETA", credit_class="gold")
    other = factories.customer(engine, "GAMMA")

    default = await api.get(f"/dunning-policies/customers/{other.id}/effective", Role.FINANCE)
    assert [lvl["days_past_due"] for lvl in default["levels"]] == [7, 21, 45]

    saved = await api.call("PUT", "/dunning-policies/classes/gold", Role.ADMIN, json=POLICY)
    assert saved.status_code == 200, saved.text
    assert saved.json()["levels"][0]["fee_fixed"] == "15.00"
    own = {**POLICY, "reminder_days_before_due": None, "min_outstanding": "0.00"}
    await api.call(
        "PUT", f"/dunning-policies/customers/{acme.id}", Role.ADMIN, json=own, expect=200
    )

    acme_policy = await api.get(f"/dunning-policies/customers/{acme.id}/effective", Role.FINANCE)
    beta_policy = await api.get(f"/dunning-policies/customers/{beta.id}/effective", Role.FINANCE)
    assert acme_policy["reminder_days_before_due"] is None
    assert beta_policy["reminder_days_before_due"] == 5
    assert beta_policy["levels"][1]["annual_interest_rate"] == "0.09"
    assert (await api.get("/dunning-policies", Role.AUDITOR))["total"] == 2

    await api.call("DELETE", f"/dunning-policies/customers/{acme.id}", Role.ADMIN, expect=204)
    again = await api.get(f"/dunning-policies/customers/{acme.id}/effective", Role.FINANCE)
    assert again["reminder_days_before_due"] == 5


async def test_bad_policies_are_refused_and_only_admins_write_them(api: ApiClient) -> None:
    path = "/dunning-policies/classes/gold"
    finance = await api.call("PUT", path, Role.FINANCE, json=POLICY)
    assert finance.status_code == 403
    falling = {**POLICY, "levels": list(reversed(POLICY["levels"]))}
    assert (await api.call("PUT", path, Role.ADMIN, json=falling)).status_code == 422
    unknown = {**POLICY, "levels": [{**POLICY["levels"][0], "template": "no_such_letter"}]}
    refused = await api.call("PUT", path, Role.ADMIN, json=unknown)
    assert refused.status_code == 422 and "no_such_letter" in refused.json()["detail"]
    floaty = {**POLICY, "min_outstanding": 5.5}
    assert (await api.call("PUT", path, Role.ADMIN, json=floaty)).status_code == 422
    missing = await api.call("PUT", "/dunning-policies/customers/999", Role.ADMIN, json=POLICY)
    assert missing.status_code == 404
    assert (await api.get("/dunning-policies", Role.ADMIN))["total"] == 0
