"""The approval policy is data an admin edits through the API; bad policies save nothing."""

from __future__ import annotations

import pytest

from models.security.users import Role
from tests.support.api_client import ApiClient

POLICY = {
    "name": "2026",
    "levels": [
        {
            "name": "sales manager",
            "role": "approver",
            "when_total_above": "10000.00",
            "remind_after": "P1D",
            "escalate_after": "P2D",
            "escalate_to": "finance",
            "expire_after": "P5D",
        },
        {
            "name": "finance director",
            "user": "finance",
            "when_total_above": "100000.00",
            "when_discount_above": "15",
        },
    ],
}


async def test_admin_saves_a_policy_that_is_then_in_force(api: ApiClient) -> None:
    default = await api.get("/approval-policies/current", Role.APPROVER)
    assert [level["role"] for level in default["levels"]] == ["approver"]
    saved = (await api.post("/approval-policies", Role.ADMIN, POLICY, expect=201)).json()
    assert saved["in_force"] and saved["levels"][0]["remind_after"] == "P1D"
    current = await api.get("/approval-policies/current", Role.SALES)
    assert current["id"] == saved["id"]
    assert current["levels"][1]["user"] == "finance"
    assert current["levels"][0]["when_total_above"] == "10000.00"


async def test_only_an_admin_edits_the_policy(api: ApiClient) -> None:
    for role in (Role.APPROVER, Role.SALES, Role.FINANCE):
        assert (await api.post("/approval-policies", role, POLICY)).status_code == 403


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"escalate_to": "approver"}, "escalates to its own role"),
        ({"when_discount_above": "120"}, "less than or equal to 100"),
        ({"when_discount_above": "-5"}, "greater than or equal to 0"),
        ({"user": "approver"}, "either a role or a user"),
        ({"escalate_to": "nobody"}, "escalate_to"),
    ],
)
async def test_a_bad_level_is_a_422_and_nothing_is_saved(
    api: ApiClient, change: dict[str, object], message: str
) -> None:
    level = {**POLICY["levels"][0], **change}  # type: ignore[dict-item]
    response = await api.post("/approval-policies", Role.ADMIN, {"name": "bad", "levels": [level]})
    assert response.status_code == 422, response.text
    assert message in response.text
    assert (await api.get("/approval-policies"))["total"] == 0


async def test_a_level_naming_an_unknown_user_is_refused(api: ApiClient) -> None:
    level = {"name": "ghost", "user": "ghost"}
    response = await api.post("/approval-policies", Role.ADMIN, {"name": "x", "levels": [level]})
    assert response.status_code == 422 and "ghost" in response.text
    assert (await api.get("/approval-policies"))["total"] == 0


async def test_credit_manager_sets_a_credit_class_policy(api: ApiClient) -> None:
    body = {"overdue_days_allowed": 15, "hold_days": 7}
    put = await api.call("PUT", "/credit-policies/gold", Role.CREDIT_MANAGER, json=body, expect=200)
    assert put.json() == {"credit_class": "gold", **body}
    bad = await api.call(
        "PUT",
        "/credit-policies/gold",
        Role.CREDIT_MANAGER,
        json={"overdue_days_allowed": -1, "hold_days": 0},
    )
    assert bad.status_code == 422
    assert await api.get("/credit-policies", Role.SALES) == [{"credit_class": "gold", **body}]
