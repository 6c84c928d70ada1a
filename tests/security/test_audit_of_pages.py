"""The web pages leave the same audit trail as the API: logins through the form, and a page
refused to a role."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.security.audit import AuditEvent
from o2c.settings import Settings
from tests import factories
from tests.fixtures.api import UNREACHABLE_TEMPORAL
from tests.support.settings import make_settings
from tests.workspace.pages import Person


@pytest.fixture
async def person(sqlite_engine: Engine, tmp_path: Path) -> AsyncIterator[Callable[[], Person]]:
    settings: Settings = make_settings(
        tmp_path, temporal_address=UNREACHABLE_TEMPORAL, secure_cookies=False
    )
    factories.one_user_per_role(sqlite_engine)
    made: list[Person] = []

    def make() -> Person:
        made.append(Person(sqlite_engine, settings))
        return made[-1]

    yield make
    for each in made:
        await each.aclose()


def trail(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
        return [(e.actor, e.action, e.entity_type, e.after) for e in events]


async def test_page_logins_and_a_refused_page_are_in_the_trail(
    person: Callable[[], Person], sqlite_engine: Engine
) -> None:
    auditor = person()
    assert (await auditor.log_in("auditor", "wrong-password")).status_code == 401
    assert (await auditor.log_in("auditor")).status_code == 303

    refused = await auditor.open("/app/inbox")

    assert refused.status_code == 403
    assert trail(sqlite_engine) == [
        ("auditor", "login_failed", "user", None),
        ("auditor", "login_succeeded", "user", None),
        ("auditor", "role_denied", "request", '{"method":"GET","path":"/app/inbox"}'),
    ]
