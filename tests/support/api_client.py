"""An HTTP client on the app in-process, speaking as any user or role."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from temporalio.client import Client

from api.main import create_app
from api.security import issue_token
from models.security.users import Role
from o2c.settings import Settings


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class ApiClient:
    """Speaks to the app over HTTP semantics, with a token for the user named by each call."""

    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self.settings = settings
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://o2c.test/api/v1"
        )

    def headers(self, role: Role | str) -> dict[str, str]:
        name = role.value if isinstance(role, Role) else role
        return bearer(issue_token(self.settings, name, [name]))

    async def call(
        self, method: str, path: str, role: Role | str, expect: int | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = {**self.headers(role), **kwargs.pop("headers", {})}
        response = await self.http.request(method, path, headers=headers, **kwargs)
        if expect is not None:
            assert response.status_code == expect, (response.status_code, response.text)
        return response

    async def get(self, path: str, role: Role | str = Role.ADMIN, **kwargs: Any) -> Any:
        return (await self.call("GET", path, role, expect=200, **kwargs)).json()

    async def post(
        self, path: str, role: Role | str, json: Any = None, expect: int | None = None, **kw: Any
    ) -> httpx.Response:
        return await self.call("POST", path, role, expect=expect, json=json, **kw)

    async def log_in(self, username: str, password: str) -> httpx.Response:
        """The login form's POST, as a person types it."""
        form = {"username": username, "password": password}
        return await self.http.post("/auth/token", data=form)

    async def total(self, path: str, **params: Any) -> int:
        """How many items the list at `path` holds, as the auditor reads it."""
        return int((await self.get(path, Role.AUDITOR, params=params))["total"])

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.aclose()


def api_client(engine: Engine, settings: Settings, temporal: Client | None = None) -> ApiClient:
    """The app on this database; without a Temporal client it connects to the settings' one."""
    return ApiClient(create_app(settings, engine, temporal), settings)
