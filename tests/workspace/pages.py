"""A person at the web pages, over HTTP in-process: logs in through the login form, keeps the
session cookie, and sends forms with the CSRF token the page they came from carries."""

from __future__ import annotations

import re
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from temporalio.client import Client

from api.main import create_app
from o2c.settings import Settings
from tests.factories import PASSWORD

HIDDEN_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_of(page: httpx.Response) -> str:
    """The CSRF token in a page's forms."""
    found = HIDDEN_CSRF.search(page.text)
    assert found, page.text
    return found.group(1)


class Person:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        temporal: Client | None = None,
        base_url: str = "http://o2c.test",
    ) -> None:
        app = create_app(settings, engine, temporal)
        self.app = app
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)

    async def log_in(self, username: str, password: str = PASSWORD) -> httpx.Response:
        form = await self.http.get("/app/login")
        data = {"username": username, "password": password, "csrf_token": csrf_of(form)}
        return await self.http.post("/app/login", data=data)

    async def open(self, path: str) -> httpx.Response:
        return await self.http.get(path)

    async def submit(
        self, page: httpx.Response, action: str, key: str | None = None, **fields: Any
    ) -> httpx.Response:
        """A form on `page` sent as htmx sends it: the page's CSRF token in the header, and the
        form's Idempotency-Key when given."""
        headers = {"X-CSRF-Token": csrf_of(page), "HX-Request": "true"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return await self.http.post(action, data=fields, headers=headers)

    async def aclose(self) -> None:
        await self.http.aclose()
