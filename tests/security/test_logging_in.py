"""Logging in, who am I, user administration, and the roles each route lets through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import jwt
from sqlalchemy.engine import Engine

from api.security import issue_token
from models.receivables.payments import Payment
from models.security.users import Role
from o2c.settings import Settings
from tests.api.support import WIDGET, create_customer, create_product, receive, rows, total
from tests.helpers import PASSWORD, ApiClient


async def log_in(api: ApiClient, username: str, password: str) -> Any:
    return await api.http.post("/auth/token", data={"username": username, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_login_gives_a_bearer_token_that_says_who_i_am(api: ApiClient) -> None:
    response = await log_in(api, "approver", PASSWORD)

    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "bearer"
    me = await api.http.get("/users/me", headers=bearer(response.json()["access_token"]))
    assert me.status_code == 200
    assert me.json()["username"] == "approver"
    assert me.json()["roles"] == ["approver"]


async def test_wrong_password_or_unknown_user_is_401(api: ApiClient) -> None:
    wrong_password = await log_in(api, "sales", "not-the-password")
    unknown_user = await log_in(api, "nobody", PASSWORD)

    assert wrong_password.status_code == 401
    assert unknown_user.status_code == 401
    assert "access_token" not in wrong_password.json()


async def test_request_without_token_is_401(api: ApiClient) -> None:
    response = await api.http.get("/users/me")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_garbage_token_is_401(api: ApiClient) -> None:
    for token in ("garbage", "a.b.c", issue_token(api.settings, "sales", ["sales"])[:-4]):
        response = await api.http.get("/customers", headers=bearer(token))
        assert response.status_code == 401, token


async def test_token_signed_with_another_key_is_401(api: ApiClient) -> None:
    forged = jwt.encode(
        {"sub": "admin", "exp": datetime.now(UTC) + timedelta(hours=1)},
        "some-other-secret-key-that-is-long-enough",
        algorithm="HS256",
    )

    response = await api.http.get("/users/me", headers=bearer(forged))

    assert response.status_code == 401


async def test_expired_token_is_401(api: ApiClient, settings: Settings) -> None:
    expired = issue_token(settings.model_copy(update={"token_minutes": -1}), "admin", ["admin"])

    response = await api.http.get("/users/me", headers=bearer(expired))

    assert response.status_code == 401


async def test_token_of_a_user_who_does_not_exist_is_401(api: ApiClient) -> None:
    response = await api.http.get("/users/me", headers=api.headers("ghost"))

    assert response.status_code == 401


async def test_admin_creates_a_user_who_can_then_log_in(api: ApiClient) -> None:
    created = await api.post(
        "/users",
        Role.ADMIN,
        {"username": "mia", "password": "a-long-password", "roles": ["sales", "finance"]},
        expect=201,
    )
    assert created.json()["username"] == "mia"
    assert "password" not in created.json() and "password_hash" not in created.json()

    login = await log_in(api, "mia", "a-long-password")

    assert login.status_code == 200
    me = await api.http.get("/users/me", headers=bearer(login.json()["access_token"]))
    assert (me.json()["username"], sorted(me.json()["roles"])) == ("mia", ["finance", "sales"])


async def test_non_admin_cannot_create_users(api: ApiClient) -> None:
    before = await total(api, "/users")
    body = {"username": "eve", "password": "a-long-password", "roles": ["admin"]}

    for role in (Role.SALES, Role.FINANCE, Role.AUDITOR):
        response = await api.post("/users", role, body)
        assert response.status_code == 403, role

    assert await total(api, "/users") == before
    assert (await log_in(api, "eve", "a-long-password")).status_code == 401


async def test_duplicate_username_is_409(api: ApiClient) -> None:
    body = {"username": "sales", "password": "a-long-password", "roles": ["admin"]}

    response = await api.post("/users", Role.ADMIN, body)

    assert response.status_code == 409
    assert response.json()["field"] == "username"
    assert (await log_in(api, "sales", "a-long-password")).status_code == 401


async def test_auditor_reads_every_list(api: ApiClient) -> None:
    await create_customer(api)
    await create_product(api)
    lists = ["/customers", "/products", "/stock", "/orders", "/invoices", "/shipments", "/users"]

    for path in lists:
        response = await api.call("GET", path, Role.AUDITOR)
        assert response.status_code == 200, (path, response.text)
        assert set(response.json()) == {"items", "total"}


async def test_auditor_gets_403_on_every_write_and_nothing_changes(
    api: ApiClient, engine: Engine
) -> None:
    customer = await create_customer(api)
    product = await create_product(api)
    await receive(api, "WIDGET", "5")
    line = {"sku": "WIDGET", "quantity": "1"}
    writes: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/customers", {"code": "NEW", "name": "New", "email": "a@new.example"}),
        ("PATCH", f"/customers/{customer['id']}", {"name": "Renamed"}),
        ("POST", "/products", {**WIDGET, "sku": "NEW"}),
        ("PATCH", f"/products/{product['id']}", {"unit_price": "1.00"}),
        ("POST", "/stock/receipts", {"sku": "WIDGET", "quantity": "5"}),
        ("POST", "/orders", {"customer_id": customer["id"], "lines": [line]}),
        ("POST", "/orders/1/approve", {}),
        ("POST", "/orders/1/cancel", {"reason": "no"}),
        (
            "POST",
            "/payments",
            {
                "customer_id": customer["id"],
                "amount": "10.00",
                "received_on": "2026-01-05",
                "reference": "BANK-1",
            },
        ),
        ("POST", "/users", {"username": "x1", "password": "a-long-password", "roles": ["sales"]}),
    ]

    answers = {
        f"{method} {path}": (await api.call(method, path, Role.AUDITOR, json=body)).status_code
        for method, path, body in writes
    }

    assert answers == {route: 403 for route in answers}
    assert await api.get(f"/customers/{customer['id']}") == customer
    assert await api.get(f"/products/{product['id']}") == product
    assert (await total(api, "/customers"), await total(api, "/products")) == (1, 1)
    assert await total(api, "/orders") == 0
    assert rows(engine, Payment) == 0
    stock = await api.get("/stock", params={"sku": "WIDGET"})
    assert Decimal(stock["items"][0]["on_hand"]) == 5
