"""Security headers on every answer (an API route, a page, a 404, a 422), HSTS only outside the
dev stack, the OpenAPI pages off when production says so, and workspace pages that run under
the Content-Security-Policy: no inline script, handler or style, only files from /static."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from api.main import create_app
from models.security.users import Role
from o2c.settings import Settings
from tests import factories
from tests.fixtures.api import UNREACHABLE_TEMPORAL
from tests.fixtures.databases import on_sqlite_only
from tests.support.api_client import ApiClient
from tests.support.settings import make_settings
from tests.workspace.pages import Person

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
SOURCE = re.compile(r'(?:src|href)="(/static/[^"]+)"')
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def assert_hardened(answer: httpx.Response, kind: str = "") -> None:
    headers = answer.headers
    assert headers.get("x-content-type-options") == "nosniff", kind
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert script_src == "script-src 'self'" and "unsafe-eval" not in policy


@on_sqlite_only
async def test_every_kind_of_answer_carries_the_security_headers(api: ApiClient) -> None:
    answers = {
        "api route": await api.call("GET", "/users/me", Role.SALES),
        "page": await api.http.get("http://o2c.test/app/login"),
        "404": await api.http.get("/no-such-route"),
        "422": await api.call("GET", "/customers/not-a-number", Role.SALES),
        "401": await api.http.get("/users/me"),
        "static file": await api.http.get("http://o2c.test/static/app.css"),
    }

    assert [a.status_code for a in answers.values()] == [200, 200, 404, 422, 401, 200]
    for kind, answer in answers.items():
        assert_hardened(answer, kind)


@on_sqlite_only
async def test_hsts_is_sent_outside_the_dev_stack_only(
    engine: Engine, api: ApiClient, tmp_path: Path
) -> None:
    production = await api.http.get("/no-such-route")
    dev_stack = make_settings(tmp_path, temporal_address=None)  # the embedded dev stack
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(dev_stack, engine)), base_url="http://x"
    ) as local:
        plain_http = await local.get("/app/login")

    assert production.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "strict-transport-security" not in plain_http.headers
    assert_hardened(plain_http)


@on_sqlite_only
@pytest.mark.parametrize("api_docs", [True, False])
async def test_the_openapi_pages_are_off_when_production_says_so(
    engine: Engine, settings: Settings, api_docs: bool
) -> None:
    app = create_app(settings.model_copy(update={"api_docs": api_docs}), engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://x"
    ) as client:
        answers = [await client.get(path) for path in ("/docs", "/redoc", "/openapi.json")]
        home = await client.get("/")

    expected = 200 if api_docs else 404
    assert [a.status_code for a in answers] == [expected] * 3
    assert home.headers["location"] == ("/docs" if api_docs else "/app")
    for answer in answers:
        assert answer.headers["x-frame-options"] == "DENY"


@pytest.fixture
async def person(sqlite_engine: Engine, tmp_path: Path) -> AsyncIterator[Callable[[], Person]]:
    """People at a browser on plain http; one user per role, named after it."""
    factories.one_user_per_role(sqlite_engine)
    settings = make_settings(tmp_path, temporal_address=UNREACHABLE_TEMPORAL, secure_cookies=False)
    made: list[Person] = []

    def make() -> Person:
        made.append(Person(sqlite_engine, settings))
        return made[-1]

    yield make
    for each in made:
        await each.aclose()


def assert_runs_under_the_policy(page: httpx.Response) -> list[str]:
    """The page's /static files; fails on anything the policy would block."""
    html = page.text
    for attributes, body in SCRIPT.findall(html):
        assert 'src="/static/' in attributes and not body.strip(), attributes
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html)
    assert "<style" not in html and " style=" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org', "")
    return SOURCE.findall(html)


async def test_the_workspace_pages_load_only_what_the_policy_allows(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    acme = factories.customer(sqlite_engine)
    factories.invoice(sqlite_engine, acme.id, "100.00", due=date.today() - timedelta(days=45))
    finance, approver, auditor = person(), person(), person()
    await finance.log_in("finance")
    await approver.log_in("approver")
    await auditor.log_in("auditor")
    pages = [
        await finance.open("/app/login"),
        await finance.open("/app"),  # the ageing chart
        await approver.open("/app/inbox"),
        await auditor.open("/app/inbox"),  # the forbidden page
    ]
    assert 'id="ageing-chart"' in pages[1].text and pages[3].status_code == 403

    files = {path for page in pages for path in assert_runs_under_the_policy(page)}

    assert {"/static/app.js", "/static/dashboard.js", "/static/vendor/echarts.min.js"} <= files
    for path in files:
        answer = await finance.open(path)
        assert answer.status_code == 200, path


async def test_the_language_switch_needs_no_inline_script(person: Callable[[], Person]) -> None:
    sales = person()
    await sales.log_in("sales")

    home = (await sales.open("/app")).text

    assert "data-autosubmit" in home and "onchange" not in home
    assert '"allowEval": false' in home  # htmx evaluates no attribute as code
    script = (await sales.open("/static/app.js")).text
    assert "data-autosubmit" in script and "submit()" in script
