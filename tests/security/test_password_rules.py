"""Passwords: 12 characters or more and none of the common ones, wherever a password is set; a
refused password is never echoed in the 422 that refuses it."""

from __future__ import annotations

import pytest

from models.security.passwords import common_passwords
from models.security.users import Role
from tests.factories import PASSWORD
from tests.fixtures.databases import on_sqlite_only
from tests.support.api_client import ApiClient

WEAK = ["short-pass1", "Password1234", "qwertyuiop123", "123456789012", "iloveyou2024!"]


@on_sqlite_only
@pytest.mark.parametrize("weak", WEAK)
async def test_a_short_or_common_password_is_refused_everywhere_it_is_set(
    api: ApiClient, weak: str
) -> None:
    me = await api.get("/users/me", Role.SALES)
    attempts = [
        await api.post(
            "/users", Role.ADMIN, {"username": "mia", "password": weak, "roles": ["sales"]}
        ),
        await api.post(f"/users/{me['id']}/reset-password", Role.ADMIN, {"new_password": weak}),
        await api.post(
            "/users/me/password", Role.SALES, {"current_password": PASSWORD, "new_password": weak}
        ),
    ]

    for answer in attempts:
        assert answer.status_code == 422, answer.text
        assert weak not in answer.text
        assert "password" in answer.json()["detail"][0]["loc"][-1]
    assert (await api.log_in("mia", weak)).status_code == 401
    assert (await api.log_in("sales", weak)).status_code == 401


@on_sqlite_only
async def test_a_long_uncommon_password_is_taken(api: ApiClient) -> None:
    body = {"username": "mia", "password": "mauve-kettle-drum-77", "roles": ["sales"]}

    assert (await api.post("/users", Role.ADMIN, body)).status_code == 201
    assert (await api.log_in("mia", "mauve-kettle-drum-77")).status_code == 200


def test_the_common_list_ships_with_o2c_and_has_thousands_of_entries() -> None:
    common = common_passwords()

    assert len(common) > 3000
    assert {"password1234", "qwertyuiop123", "1q2w3e4r5t6y"} <= common
    assert PASSWORD not in common


@on_sqlite_only
async def test_a_422_beside_a_password_does_not_echo_it(api: ApiClient) -> None:
    """The password is valid, another field is not: the echoed body leaves the password out."""
    secret = "mauve-kettle-drum-77"
    bad_roles = {"username": "mia", "password": secret, "roles": ["emperor"]}
    no_roles = {"username": "mia", "password": secret}

    for body in (bad_roles, no_roles):
        answer = await api.post("/users", Role.ADMIN, body)
        assert answer.status_code == 422
        assert secret not in answer.text, answer.text


@on_sqlite_only
async def test_a_422_on_the_password_change_does_not_echo_either_password(
    api: ApiClient,
) -> None:
    body = {"current_password": PASSWORD, "new_password": ["xyzzy-plugh", "frobozz"]}

    answer = await api.post("/users/me/password", Role.SALES, body)

    assert answer.status_code == 422
    assert PASSWORD not in answer.text and "xyzzy" not in answer.text
