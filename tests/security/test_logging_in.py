"""Logging in: a bearer token that says who I am; a missing, garbage, forged or expired token or
a wrong password is 401."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from api.security import issue_token
from o2c.settings import Settings
from tests.factories import PASSWORD
from tests.support.api_client import ApiClient, bearer


async def test_login_gives_a_bearer_token_that_says_who_i_am(api: ApiClient) -> None:
    response = await api.log_in("approver", PASSWORD)

    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "bearer"
    me = await api.http.get("/users/me", headers=bearer(response.json()["access_token"]))
    assert me.status_code == 200
    assert me.json()["username"] == "approver"
    assert me.json()["roles"] == ["approver"]


async def test_wrong_password_or_unknown_user_is_401(api: ApiClient) -> None:
    wrong_password = await api.log_in("sales", "not-the-password")
    unknown_user = await api.log_in("nobody", PASSWORD)

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
