"""Test helpers: an API client wired to a given database and Temporal, users per role, polling."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import Client

from activities.security.users import create_user
from api.main import create_app
from api.security import issue_token
from models.security.users import Role, UserCreate
from o2c.settings import Settings

T = TypeVar("T")
PASSWORD = "correct-horse-battery"


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "secret_key": "test-secret-key-with-enough-length-for-hs256",
        "task_queue": f"o2c-test-{time.time_ns()}",
    }
    values.update(overrides)
    return Settings(**values)


def add_users(engine: Engine, roles: list[Role] | None = None) -> None:
    with Session(engine) as session, session.begin():
        for role in roles or list(Role):
            create_user(session, UserCreate(username=role.value, password=PASSWORD, roles=[role]))


class ApiClient:
    """Speaks to the app in-process over HTTP semantics, as any role."""

    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self.settings = settings
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://o2c.test/api/v1"
        )

    def headers(self, role: Role | str) -> dict[str, str]:
        name = role.value if isinstance(role, Role) else role
        token = issue_token(self.settings, name, [name])
        return {"Authorization": f"Bearer {token}"}

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

    async def aclose(self) -> None:
        await self.http.aclose()


def api_client(engine: Engine, settings: Settings, temporal: Client | None = None) -> ApiClient:
    return ApiClient(create_app(settings, engine, temporal), settings)


async def eventually(
    probe: Callable[[], Awaitable[T]], until: Callable[[T], bool], timeout: float = 90.0
) -> T:
    """Polls a probe until its value satisfies the condition (for work done by workflows)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if until(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s; last value: {value!r}")
        await asyncio.sleep(0.1)
