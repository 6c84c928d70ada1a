"""Logging in to the web pages: the login form, the session cookie, logging out."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import aclosing
from pathlib import Path

from sqlalchemy.engine import Engine

from o2c.settings import Settings
from tests import factories
from tests.support.settings import make_settings
from tests.workspace.pages import Person, csrf_of


async def test_a_person_logs_in_with_the_apis_password_and_lands_on_the_dashboard(
    person: Callable[[], Person], page_settings: Settings
) -> None:
    finance = person()
    answer = await finance.log_in("finance")
    assert answer.status_code == 303 and answer.headers["location"] == "/app"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert f"max-age={page_settings.token_minutes * 60}" in cookie  # expires like the API token
    home = await finance.open("/app")
    assert home.status_code == 200 and "Dashboard" in home.text and "finance" in home.text


async def test_a_wrong_password_shows_the_form_again_with_a_message(
    person: Callable[[], Person],
) -> None:
    answer = await person().log_in("finance", "not-the-password")
    assert answer.status_code == 401
    assert "Wrong username or password." in answer.text and 'name="password"' in answer.text
    assert "o2c_session" not in answer.headers.get("set-cookie", "")


async def test_without_a_session_a_page_sends_the_person_to_log_in(
    person: Callable[[], Person],
) -> None:
    answer = await person().open("/app/inbox")
    assert answer.status_code == 303 and answer.headers["location"] == "/app/login"


async def test_logging_out_ends_the_session(person: Callable[[], Person]) -> None:
    sales = person()
    await sales.log_in("sales")
    home = await sales.open("/app")
    out = await sales.http.post("/app/logout", data={"csrf_token": csrf_of(home)})
    assert out.status_code == 303 and out.headers["location"] == "/app/login"
    assert (await sales.open("/app")).headers["location"] == "/app/login"


async def test_outside_the_dev_stack_the_session_cookie_is_sent_over_https_only(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    factories.one_user_per_role(sqlite_engine)
    production = make_settings(tmp_path, temporal_address="temporal.internal:7233")
    async with aclosing(Person(sqlite_engine, production, base_url="https://o2c.test")) as finance:
        answer = await finance.log_in("finance")
        assert answer.status_code == 303 and "secure" in answer.headers["set-cookie"].lower()
        assert (await finance.open("/app")).status_code == 200
