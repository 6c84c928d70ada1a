"""Guessing passwords: after 5 failed logins for a username, or 20 from one address, within 15
minutes, logins are refused with 429 and Retry-After, the right password too, on the API and on
the login page; other people are not locked out, and the log never holds the password."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from o2c.settings import Settings
from tests import factories
from tests.factories import PASSWORD
from tests.fixtures.databases import on_sqlite_only
from tests.support.api_client import ApiClient, api_client
from tests.support.settings import make_settings
from tests.workspace.pages import Person

GUESS = "guess-number-one-x"
pytestmark = on_sqlite_only


async def guess(api: ApiClient, username: str, times: int) -> list[int]:
    return [(await api.log_in(username, f"{GUESS}{n}")).status_code for n in range(times)]


async def test_five_wrong_passwords_lock_the_username_for_the_window(
    api: ApiClient, caplog: pytest.LogCaptureFixture
) -> None:
    assert await guess(api, "finance", 5) == [401] * 5

    locked = await api.log_in("finance", PASSWORD)

    assert locked.status_code == 429
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    assert "access_token" not in locked.json()
    assert "failed login for username 'finance'" in caplog.text
    assert GUESS not in caplog.text and PASSWORD not in caplog.text


async def test_a_locked_username_does_not_lock_out_anyone_else(api: ApiClient) -> None:
    await guess(api, "finance", 5)

    assert (await api.log_in("sales", PASSWORD)).status_code == 200


async def test_a_good_login_before_the_limit_forgives_earlier_mistakes(api: ApiClient) -> None:
    await guess(api, "finance", 4)
    assert (await api.log_in("finance", PASSWORD)).status_code == 200

    assert await guess(api, "finance", 4) == [401] * 4
    assert (await api.log_in("finance", PASSWORD)).status_code == 200


async def test_spraying_many_usernames_from_one_address_is_throttled(api: ApiClient) -> None:
    """Four guesses each at five names stays under each name's limit, not the address's."""
    for name in ("sales", "approver", "warehouse", "collector", "ops"):
        assert await guess(api, name, 4) == [401] * 4

    answer = await api.log_in("auditor", PASSWORD)

    assert answer.status_code == 429 and int(answer.headers["retry-after"]) > 0


async def test_the_login_page_is_throttled_too(
    engine: Engine, settings: Settings, api: ApiClient
) -> None:
    person = Person(engine, settings.model_copy(update={"secure_cookies": False}))
    for _ in range(5):
        await person.log_in("approver", GUESS)

    page = await person.log_in("approver")

    assert page.status_code == 429
    assert int(page.headers["retry-after"]) > 0
    assert "Too many failed logins" in page.text and 'name="password"' in page.text
    assert "o2c_session" not in page.headers.get("set-cookie", "")
    await person.aclose()


@pytest.fixture
async def short_window_api(engine: Engine, tmp_path: Path) -> AsyncIterator[ApiClient]:
    settings = make_settings(tmp_path, login_window_minutes=0.05)  # 3 seconds
    factories.one_user_per_role(engine)
    async with api_client(engine, settings) as client:
        yield client


async def test_the_lock_lifts_once_the_window_has_passed(short_window_api: ApiClient) -> None:
    await guess(short_window_api, "finance", 5)
    locked = await short_window_api.log_in("finance", PASSWORD)
    assert locked.status_code == 429

    await asyncio.sleep(int(locked.headers["retry-after"]) + 0.2)

    assert (await short_window_api.log_in("finance", PASSWORD)).status_code == 200


async def test_the_api_answer_to_a_throttled_login_is_plain_json(api: ApiClient) -> None:
    await guess(api, "ops", 5)

    answer: httpx.Response = await api.log_in("ops", PASSWORD)

    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["detail"] == "too many failed logins: try again later"
