"""The web pages on the test's database, plain http (the session cookie is not Secure here)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from o2c.settings import Settings
from tests import factories
from tests.fixtures.api import UNREACHABLE_TEMPORAL
from tests.support.api_client import ApiClient, api_client
from tests.support.settings import make_settings
from tests.support.workflows import Flow
from tests.workspace.pages import Person


@pytest.fixture
def page_settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, temporal_address=UNREACHABLE_TEMPORAL, secure_cookies=False)


@pytest.fixture
def live_settings(worker_settings: Settings, tmp_path: Path) -> Settings:
    """The pages wired to the test's worker (its task queue, its SMTP catcher)."""
    return make_settings(
        tmp_path,
        smtp_port=worker_settings.smtp_port,
        task_queue=worker_settings.task_queue,
        secure_cookies=False,
    )


@pytest.fixture
async def person(
    sqlite_engine: Engine, page_settings: Settings
) -> AsyncIterator[Callable[[], Person]]:
    """Makes people at a browser; one user per role, each named after it, may log in."""
    factories.one_user_per_role(sqlite_engine)
    made: list[Person] = []

    def make() -> Person:
        made.append(Person(sqlite_engine, page_settings))
        return made[-1]

    yield make
    for each in made:
        await each.aclose()


@pytest.fixture
async def cm(flow: Flow, sqlite_engine: Engine, live_settings: Settings) -> AsyncIterator[Person]:
    """cm, the credit manager, at a browser on the API wired to the workflows."""
    factories.staff(sqlite_engine, factories.SALES_DESK)
    person = Person(sqlite_engine, live_settings, flow.env.client)
    await person.log_in("cm")
    yield person
    await person.aclose()


@pytest.fixture
async def page_api(sqlite_engine: Engine, page_settings: Settings) -> AsyncIterator[ApiClient]:
    """The API on the pages' database, to compare what both show."""
    async with api_client(sqlite_engine, page_settings) as client:
        yield client


@pytest.fixture
async def manager(person: Callable[[], Person]) -> Person:
    """The credit manager at a browser, logged in (the pages' database, Temporal unreachable)."""
    someone = person()
    await someone.log_in("credit_manager")
    return someone
