"""Credit review rules kept as versions: a credit manager saves a new one, the next review
proposes by it and each proposal names the version and rule that made it; a malformed rule is
refused naming its field and nothing is stored; every save is in the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.credit.test_credit_review_workflow import open_review, steady_payer_near_its_limit
from tests.support.api_client import ApiClient
from tests.support.refusals import assert_refused_naming
from tests.support.workflows import Flow

GENEROUS = {
    "rules": [
        {
            "name": "steady payer, raise by half",
            "when_grades": ["A", "B"],
            "utilisation_above": "80",
            "for_months": 3,
            "change_limit_pct": "50",
        },
        {
            "name": "pays late three months running",
            "days_beyond_terms_above": "15",
            "for_months": 3,
            "change_limit_pct": "-25",
            "hold": True,
        },
    ]
}


def with_first_rule(**change: Any) -> dict[str, Any]:
    first, *others = GENEROUS["rules"]
    return {"rules": [{**first, **change}, *others]}


async def test_the_built_in_rules_are_version_1_until_a_credit_manager_saves_another(
    api: ApiClient,
) -> None:
    built_in = await api.get("/credit-review-rules", Role.FINANCE)
    assert (built_in["version"], built_in["in_force"]) == (1, True)
    assert [r["name"] for r in built_in["rules"]] == [
        "steady payer near its limit",
        "pays late three months running",
    ]
    assert built_in["rules"][0]["change_limit_pct"] == "20"

    saved = await api.post("/credit-review-rules", Role.CREDIT_MANAGER, GENEROUS, expect=201)

    assert (saved.json()["version"], saved.json()["created_by"]) == (2, "credit_manager")
    current = await api.get("/credit-review-rules", Role.AUDITOR)
    assert (current["version"], current["rules"][0]["change_limit_pct"]) == (2, "50")
    older = await api.get("/credit-review-rules/1", Role.CREDIT_MANAGER)
    assert (older["in_force"], older["rules"][0]["change_limit_pct"]) == (False, "20")
    await api.post("/credit-review-rules", Role.SALES, GENEROUS, expect=403)
    await api.post("/credit-review-rules", Role.FINANCE, GENEROUS, expect=403)
    await api.post("/credit-review-rules", Role.ADMIN, GENEROUS, expect=201)


async def test_a_saved_version_is_in_the_audit_trail(api: ApiClient) -> None:
    await api.post("/credit-review-rules", Role.CREDIT_MANAGER, GENEROUS, expect=201)

    trail = await api.get(
        "/audit", Role.AUDITOR, params={"entity": "credit_review_rules", "entity_id": "2"}
    )

    (saved,) = trail["items"]
    assert (saved["action"], saved["actor"]) == ("created", "credit_manager")
    assert saved["after"]["rules"][0]["name"] == "steady payer, raise by half"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"when_grades": ["F"]}, "when_grades"),
        ({"change_limit_pct": "-150"}, "change_limit_pct"),
        ({"utilisation_above": "-1"}, "utilisation_above"),
        ({"for_months": 0}, "for_months"),
        ({"raise_limit_by": "10"}, "raise_limit_by"),
    ],
)
async def test_a_malformed_rule_is_refused_naming_its_field_and_nothing_is_stored(
    api: ApiClient, change: dict[str, Any], field: str
) -> None:
    refused = await api.post("/credit-review-rules", Role.CREDIT_MANAGER, with_first_rule(**change))

    assert refused.status_code == 422, refused.text
    assert_refused_naming(refused, field)
    assert (await api.get("/credit-review-rules", Role.CREDIT_MANAGER))["version"] == 1
    await api.call("GET", "/credit-review-rules/2", Role.CREDIT_MANAGER, expect=404)


async def test_two_rules_of_one_name_are_refused(api: ApiClient) -> None:
    twice = {"rules": [GENEROUS["rules"][0], GENEROUS["rules"][0]]}

    refused = await api.post("/credit-review-rules", Role.CREDIT_MANAGER, twice)

    assert refused.status_code == 422, refused.text
    assert "is given to more than one rule" in refused.text


async def test_a_new_version_changes_what_the_next_review_proposes(
    flow: Flow, live_api: ApiClient, sqlite_engine: Engine
) -> None:
    factories.staff(sqlite_engine, {"cm": [Role.CREDIT_MANAGER]})
    await live_api.post("/credit-review-rules", "cm", GENEROUS, expect=201)

    customer_id, _ = await steady_payer_near_its_limit(flow)

    proposal = await open_review(live_api, customer_id)
    shown = await live_api.get(f"/credit-reviews/{proposal['id']}", "cm")
    assert (shown["rule_set_version"], shown["rule"]) == (2, "steady payer, raise by half")
    assert (shown["limit_before"], shown["proposed_limit"]) == ("1000.00", "1500.00")
