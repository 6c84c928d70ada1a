"""Changing an account, tried as the people it protects against: a deactivated employee, a user
whose roles were cut, a stolen token after a password reset or change. Each change ends every
token and web session the user holds, at once; only an admin may change someone else."""

from __future__ import annotations

from typing import Any

import httpx
import jwt
from sqlalchemy.engine import Engine

from api.security import ALGORITHM, signing_key
from models.security.users import Role
from o2c.settings import Settings
from tests import factories
from tests.factories import PASSWORD
from tests.support.api_client import ApiClient, bearer
from tests.workspace.pages import Person

NEW_PASSWORD = "violet-otter-harbour-42"


async def token_of(api: ApiClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = await api.log_in(username, password)
    assert response.status_code == 200, response.text
    return bearer(response.json()["access_token"])


async def user_id(api: ApiClient, username: str) -> int:
    listed = await api.get("/users", params={"limit": 500})
    return next(u["id"] for u in listed["items"] if u["username"] == username)


async def change(api: ApiClient, username: str, body: dict[str, Any]) -> httpx.Response:
    return await api.call("PATCH", f"/users/{await user_id(api, username)}", Role.ADMIN, json=body)


async def logged_in_person(engine: Engine, settings: Settings, username: str) -> Person:
    person = Person(engine, settings.model_copy(update={"secure_cookies": False}))  # plain http
    assert (await person.log_in(username)).status_code == 303
    assert (await person.open("/app")).status_code == 200
    return person


async def test_a_deactivated_user_is_logged_out_of_the_api_and_the_pages_at_once(
    api: ApiClient, engine: Engine, settings: Settings
) -> None:
    token = await token_of(api, "sales")
    person = await logged_in_person(engine, settings, "sales")

    answer = await change(api, "sales", {"active": False})

    assert answer.status_code == 200 and answer.json()["active"] is False
    assert (await api.http.get("/customers", headers=token)).status_code == 401
    page = await person.open("/app")
    assert page.status_code == 303 and page.headers["location"] == "/app/login"
    assert (await api.log_in("sales", PASSWORD)).status_code == 401
    await person.aclose()


async def test_a_deactivated_user_can_no_longer_write_through_the_api_or_a_page_left_open(
    api: ApiClient, engine: Engine, settings: Settings
) -> None:
    token = await token_of(api, "sales")
    person = await logged_in_person(engine, settings, "sales")
    form = await person.open("/app/customers/new")
    assert form.status_code == 200

    await change(api, "sales", {"active": False})

    posted = await api.http.post("/customers", headers=token, json=factories.NEW_ACME)
    assert posted.status_code == 401
    typed = {"code": "EVE", "name": "Eve Ltd", "email": "ap@eve.example"}
    sent = await person.submit(form, "/app/customers/new", **typed)
    assert sent.status_code == 401 and sent.headers["HX-Redirect"] == "/app/login"
    await person.aclose()
    listed = await api.get("/customers", Role.AUDITOR)
    assert listed["total"] == 0


async def test_a_reactivated_user_logs_in_again_but_old_tokens_stay_dead(api: ApiClient) -> None:
    token = await token_of(api, "sales")
    await change(api, "sales", {"active": False})

    await change(api, "sales", {"active": True})

    assert (await api.http.get("/customers", headers=token)).status_code == 401
    fresh = await token_of(api, "sales")
    assert (await api.http.get("/customers", headers=fresh)).status_code == 200


async def test_a_role_change_revokes_tokens_and_the_new_roles_apply(api: ApiClient) -> None:
    token = await token_of(api, "finance")

    answer = await change(api, "finance", {"roles": ["auditor"]})

    assert answer.json()["roles"] == ["auditor"]
    assert (await api.http.get("/users/me", headers=token)).status_code == 401
    fresh = await token_of(api, "finance")
    me = await api.http.get("/users/me", headers=fresh)
    assert me.json()["roles"] == ["auditor"]
    body = {"customer_id": 1, "amount": "10.00", "received_on": "2026-11-27", "reference": "X"}
    assert (await api.http.post("/payments", json=body, headers=fresh)).status_code == 403


async def test_an_email_change_keeps_the_users_sessions(api: ApiClient) -> None:
    token = await token_of(api, "collector")

    answer = await change(api, "collector", {"email": "coll@o2c.example"})

    assert answer.json()["email"] == "coll@o2c.example"
    assert (await api.http.get("/users/me", headers=token)).status_code == 200


async def test_an_admin_reset_password_ends_the_old_password_and_every_token(
    api: ApiClient,
) -> None:
    stolen = await token_of(api, "approver")
    target = await user_id(api, "approver")

    answer = await api.post(
        f"/users/{target}/reset-password", Role.ADMIN, {"new_password": NEW_PASSWORD}
    )

    assert answer.status_code == 200, answer.text
    assert NEW_PASSWORD not in answer.text
    assert (await api.http.get("/users/me", headers=stolen)).status_code == 401
    assert (await api.log_in("approver", PASSWORD)).status_code == 401
    assert (await api.log_in("approver", NEW_PASSWORD)).status_code == 200


async def test_a_user_changes_their_own_password_and_every_session_ends(
    api: ApiClient, engine: Engine, settings: Settings
) -> None:
    other_device = await token_of(api, "warehouse")
    this_device = await token_of(api, "warehouse")
    person = await logged_in_person(engine, settings, "warehouse")
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}

    answer = await api.http.post("/users/me/password", json=body, headers=this_device)

    assert answer.status_code == 204, answer.text
    for token in (other_device, this_device):
        assert (await api.http.get("/users/me", headers=token)).status_code == 401
    assert (await person.open("/app")).status_code == 303
    assert (await api.log_in("warehouse", PASSWORD)).status_code == 401
    assert (await api.log_in("warehouse", NEW_PASSWORD)).status_code == 200
    await person.aclose()


async def test_changing_my_password_needs_the_current_one(api: ApiClient) -> None:
    """A stolen token alone does not let the thief take the account over."""
    stolen = await token_of(api, "sales")
    body = {"current_password": "a-wrong-guess-here", "new_password": NEW_PASSWORD}

    answer = await api.http.post("/users/me/password", json=body, headers=stolen)

    assert answer.status_code == 403
    assert answer.json()["field"] == "current_password"
    assert (await api.http.get("/users/me", headers=stolen)).status_code == 200
    assert (await api.log_in("sales", NEW_PASSWORD)).status_code == 401


async def test_nobody_but_an_admin_changes_a_user(api: ApiClient) -> None:
    admin_id = await user_id(api, "admin")
    for role in (Role.SALES, Role.AUDITOR, Role.OPS, Role.FINANCE):
        demoted = await api.call("PATCH", f"/users/{admin_id}", role, json={"active": False})
        reset = await api.post(
            f"/users/{admin_id}/reset-password", role, {"new_password": NEW_PASSWORD}
        )
        assert (demoted.status_code, reset.status_code) == (403, 403), role
    assert (await api.log_in("admin", PASSWORD)).status_code == 200
    assert (await api.log_in("admin", NEW_PASSWORD)).status_code == 401


async def test_a_user_cannot_give_themselves_roles(api: ApiClient) -> None:
    sales_id = await user_id(api, "sales")

    answer = await api.call("PATCH", f"/users/{sales_id}", "sales", json={"roles": ["admin"]})

    assert answer.status_code == 403
    assert (await api.get("/users/me", "sales"))["roles"] == ["sales"]


async def test_the_last_active_admin_cannot_be_deactivated_or_demoted(api: ApiClient) -> None:
    for body in ({"active": False}, {"roles": ["sales"]}):
        answer = await change(api, "admin", body)
        assert answer.status_code == 409, body
    assert (await api.get("/users/me", Role.ADMIN))["roles"] == ["admin"]


async def test_changing_a_user_who_does_not_exist_is_404(api: ApiClient) -> None:
    answer = await api.call("PATCH", "/users/999999", Role.ADMIN, json={"active": False})

    assert answer.status_code == 404


async def test_a_token_from_before_token_versions_is_revoked_like_any_other(
    api: ApiClient,
) -> None:
    claims = {"sub": "sales", "roles": ["sales"]}
    old = bearer(jwt.encode(claims, signing_key(api.settings), ALGORITHM))
    assert (await api.http.get("/users/me", headers=old)).status_code == 200

    await change(api, "sales", {"roles": ["sales", "collector"]})

    assert (await api.http.get("/users/me", headers=old)).status_code == 401
