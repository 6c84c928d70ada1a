"""An attacker without a login walks every route the app has: each API operation of the OpenAPI
document (bar the few documented as public) answers 401 with no token, a token signed
`alg: none`, or an expired token; each /app page sends them to the login page. Routes are read
from the app itself, so a route added later is walked too."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta

import jwt
from fastapi.routing import APIRoute
from sqlalchemy.engine import Engine

from api.pages import PAGE_GROUPS
from api.routes import ui
from api.security import signing_key
from models.security.users import Role
from o2c.settings import Settings
from tests.support.api_client import ApiClient, api_client, bearer

# Documented as reachable without a token (docs/api.md): logging in and the health probe. The
# carrier's tracking webhook takes an HMAC signature instead of a token, so without either it is
# 401 like the rest (signatures: tests/security/test_carrier_signatures.py).
PUBLIC = {"POST /api/v1/auth/token", "GET /api/v1/health"}
PUBLIC_PAGES = {"/app/login"}
METHODS = ("get", "post", "put", "patch", "delete")


def _part(value: dict[str, object]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unsigned_admin_token() -> str:
    """A token naming admin with every role, `alg: none` and no signature."""
    claims = {
        "sub": "admin",
        "roles": [role.value for role in Role],
        "ver": 0,
        "exp": int((datetime.now(UTC) + timedelta(hours=1)).timestamp()),
    }
    return f"{_part({'alg': 'none', 'typ': 'JWT'})}.{_part(claims)}."


def expired_admin_token(settings: Settings) -> str:
    """A token signed with the real key, for a real user, whose time is up."""
    claims = {
        "sub": "admin",
        "roles": ["admin"],
        "ver": 0,
        "iat": datetime.now(UTC) - timedelta(hours=2),
        "exp": datetime.now(UTC) - timedelta(minutes=1),
    }
    return jwt.encode(claims, signing_key(settings), algorithm="HS256")


def concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", template)


async def api_operations(api: ApiClient) -> list[tuple[str, str]]:
    document = (await api.http.get("/../../openapi.json")).json()
    return [
        (method, template)
        for template, operations in document["paths"].items()
        for method in METHODS
        if method in operations
    ]


def page_routes() -> list[tuple[str, str]]:
    """Every page route, from the same list of page groups the app installs."""
    mounted = [("/app", group.router) for group in PAGE_GROUPS] + [("", ui.router)]
    return [
        (method.lower(), prefix + route.path)
        for prefix, router in mounted
        for route in router.routes
        if isinstance(route, APIRoute) and prefix + route.path not in PUBLIC_PAGES
        for method in sorted(route.methods or ())
        if method != "HEAD"
    ]


async def test_every_api_route_refuses_a_missing_unsigned_or_expired_token(
    api: ApiClient,
) -> None:
    operations = await api_operations(api)
    attempts = {
        "no token": {},
        "alg none": bearer(unsigned_admin_token()),
        "expired": bearer(expired_admin_token(api.settings)),
    }
    answers: dict[str, int] = {}
    for method, template in operations:
        if f"{method.upper()} {template}" in PUBLIC:
            continue
        url = "http://o2c.test" + concrete(template)
        for name, headers in attempts.items():
            response = await api.http.request(method, url, headers=headers, json={})
            answers[f"{name} {method.upper()} {template}"] = response.status_code

    assert len(operations) > 100
    assert {attempt: status for attempt, status in answers.items() if status != 401} == {}


async def test_the_public_routes_are_still_there(api: ApiClient) -> None:
    operations = {f"{method.upper()} {template}" for method, template in await api_operations(api)}

    assert operations >= PUBLIC


async def test_every_page_sends_a_stranger_to_the_login_page(
    engine: Engine, settings: Settings
) -> None:
    routes = page_routes()
    catching = settings.model_copy(update={"mail_catcher": True})  # the outbox page mounted too
    api = api_client(engine, catching)
    answers: dict[str, str] = {}
    for method, path in routes:
        url = "http://o2c.test" + concrete(path)
        browser = await api.http.request(method, url)
        htmx = await api.http.request(method, url, headers={"HX-Request": "true"})
        sent_to_login = (browser.status_code, browser.headers.get("location")) == (
            303,
            "/app/login",
        ) and (htmx.status_code, htmx.headers.get("hx-redirect")) == (401, "/app/login")
        if not sent_to_login:
            answers[f"{method.upper()} {path}"] = f"{browser.status_code} {htmx.status_code}"

    await api.aclose()

    assert len(routes) > 30
    assert answers == {}
