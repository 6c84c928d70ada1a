"""The API under test: a fresh database with one user per role, and a Temporal address that
refuses connections (the API must work without it; workflow starts wait in the outbox)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

import activities.security.users
from o2c.settings import Settings
from tests.helpers import ApiClient, add_users, api_client, make_settings

UNREACHABLE_TEMPORAL = "127.0.0.1:1"


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2 with the cheapest parameters: eight users per test at 0.2 s each add up."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(activities.security.users, "_hasher", cheap)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, temporal_address=UNREACHABLE_TEMPORAL)


@pytest.fixture
async def api(engine: Engine, settings: Settings) -> AsyncIterator[ApiClient]:
    add_users(engine)
    client = api_client(engine, settings, None)
    yield client
    await client.aclose()
