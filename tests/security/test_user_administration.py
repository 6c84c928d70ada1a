"""User administration: an admin creates users who can then log in; nobody else can, and a
username is taken once."""

from __future__ import annotations

from models.security.users import Role
from tests.support.api_client import ApiClient, bearer


async def test_admin_creates_a_user_who_can_then_log_in(api: ApiClient) -> None:
    created = await api.post(
        "/users",
        Role.ADMIN,
        {"username": "mia", "password": "a-long-password", "roles": ["sales", "finance"]},
        expect=201,
    )
    assert created.json()["username"] == "mia"
    assert "password" not in created.json() and "password_hash" not in created.json()

    login = await api.log_in("mia", "a-long-password")

    assert login.status_code == 200
    me = await api.http.get("/users/me", headers=bearer(login.json()["access_token"]))
    assert (me.json()["username"], sorted(me.json()["roles"])) == ("mia", ["finance", "sales"])


async def test_non_admin_cannot_create_users(api: ApiClient) -> None:
    before = await api.total("/users")
    body = {"username": "eve", "password": "a-long-password", "roles": ["admin"]}

    for role in (Role.SALES, Role.FINANCE, Role.AUDITOR):
        response = await api.post("/users", role, body)
        assert response.status_code == 403, role

    assert await api.total("/users") == before
    assert (await api.log_in("eve", "a-long-password")).status_code == 401


async def test_duplicate_username_is_409(api: ApiClient) -> None:
    body = {"username": "sales", "password": "a-long-password", "roles": ["admin"]}

    response = await api.post("/users", Role.ADMIN, body)

    assert response.status_code == 409
    assert response.json()["field"] == "username"
    assert (await api.log_in("sales", "a-long-password")).status_code == 401
