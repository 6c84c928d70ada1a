"""The audit trail as an auditor reads it: who changed what, before and after (secrets and
contact data masked), from which address, in which request; logins and role denials too; only
auditors and admins may read it."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from openpyxl import load_workbook

from models.security.users import Role
from tests import factories
from tests.factories import PASSWORD
from tests.support.api_client import ApiClient


async def audit(api: ApiClient, **filters: Any) -> list[dict[str, Any]]:
    page = await api.get("/audit", Role.AUDITOR, params=filters)
    items: list[dict[str, Any]] = page["items"]
    return items


async def test_a_credit_limit_change_shows_who_before_and_after_with_contacts_masked(
    api: ApiClient,
) -> None:
    created = await api.post("/customers", Role.CREDIT_MANAGER, factories.ACME, expect=201)
    customer_id = created.json()["id"]

    changed = await api.call(
        "PATCH",
        f"/customers/{customer_id}",
        Role.CREDIT_MANAGER,
        expect=200,
        json={"credit_limit": "12000.00", "email": "billing@acme.example"},
        headers={"X-Request-ID": "req-limit-1"},
    )

    update, creation = await audit(api, entity="customer", entity_id=str(customer_id))
    # One request, one audit row holding both changes; the limit also has its credit history.
    assert update["action"] == "updated"
    assert update["actor"] == "credit_manager"
    assert update["request_id"] == "req-limit-1" == changed.headers["x-request-id"]
    assert update["address"] == "127.0.0.1"
    assert update["before"] == {"credit_limit": "10000.0000", "email": "a***@acme.example"}
    assert update["after"] == {"credit_limit": "12000.00", "email": "b***@acme.example"}
    history = await api.get(f"/customers/{customer_id}/credit-history", Role.FINANCE)
    [limit] = [h for h in history["items"] if h["term"] == "credit_limit"]
    assert (limit["before"], limit["after"]) == ("10000.00", "12000.00")
    assert limit["changed_by"] == "credit_manager"
    assert creation["action"] == "created"
    assert creation["after"]["name"] == "Acme Trading"
    assert creation["after"]["email"] == "a***@acme.example"


async def test_a_new_users_password_hash_never_reaches_the_trail(api: ApiClient) -> None:
    body = {"username": "dora", "password": PASSWORD, "roles": ["sales"], "email": "d@x.example"}
    await api.post("/users", Role.ADMIN, body, expect=201)

    (created,) = await audit(api, entity="user", user="admin")

    assert created["after"]["username"] == "dora"
    assert created["after"]["password_hash"] == "***"
    assert created["after"]["email"] == "d***@x.example"
    assert created["after"]["roles"] == "sales"


async def test_logins_that_succeed_and_fail_are_both_recorded(api: ApiClient) -> None:
    assert (await api.log_in("finance", PASSWORD)).status_code == 200
    assert (await api.log_in("finance", "guessing")).status_code == 401

    failed, succeeded = await audit(api, entity="user", entity_id="finance")

    assert (succeeded["action"], succeeded["actor"]) == ("login_succeeded", "finance")
    assert (failed["action"], failed["actor"]) == ("login_failed", "finance")
    assert failed["address"] == "127.0.0.1"


async def test_a_role_denial_is_recorded_with_what_was_tried(api: ApiClient) -> None:
    await api.post("/users", Role.SALES, {"username": "x"}, expect=403)

    (denial,) = await audit(api, user="sales")

    assert denial["action"] == "role_denied"
    assert denial["after"] == {"method": "POST", "path": "/api/v1/users"}


async def test_only_auditors_and_admins_read_the_trail(api: ApiClient) -> None:
    for role in (Role.SALES, Role.FINANCE, Role.CREDIT_MANAGER, Role.OPS):
        await api.call("GET", "/audit", role, expect=403)
    assert (await api.get("/audit", Role.ADMIN))["total"] >= 0
    assert (await api.get("/audit", Role.AUDITOR))["total"] >= 0


async def test_the_trail_filters_by_user_and_period_and_pages(api: ApiClient) -> None:
    for code in ("A1", "A2", "A3"):
        await api.post("/customers", Role.SALES, {**factories.NEW_ACME, "code": code}, expect=201)
    await api.post("/customers", Role.FINANCE, {**factories.NEW_ACME, "code": "F1"}, expect=201)
    today = date.today()

    by_sales = await api.get("/audit", Role.AUDITOR, params={"user": "sales", "limit": 2})
    yesterday = await api.get("/audit", Role.AUDITOR, params={"to": str(today - timedelta(days=1))})
    this_day = await api.total("/audit", entity="customer", **{"from": str(today)})

    assert by_sales["total"] == 3
    assert [e["after"]["code"] for e in by_sales["items"]] == ["A3", "A2"]
    assert yesterday["total"] == 0
    assert this_day == 4


async def test_the_filtered_trail_exports_to_xlsx(api: ApiClient) -> None:
    await api.post("/customers", Role.SALES, {**factories.NEW_ACME, "code": "X1"}, expect=201)
    await api.post("/customers", Role.FINANCE, {**factories.NEW_ACME, "code": "X2"}, expect=201)

    response = await api.call(
        "GET", "/audit", Role.AUDITOR, expect=200, params={"user": "finance", "format": "xlsx"}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[:8] == [
        "id",
        "occurred_at",
        "actor",
        "address",
        "request_id",
        "entity_type",
        "entity_id",
        "action",
    ]
    assert [(row[2], row[5], row[7]) for row in rows] == [("finance", "customer", "created")]
    assert '"code":"X2"' in str(rows[0][9])
