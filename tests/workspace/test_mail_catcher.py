"""The dev mail catcher's page: only in the dev stack, only for ops and admins logged in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from o2c.settings import Settings
from tests.fixtures.api import UNREACHABLE_TEMPORAL
from tests.support.settings import make_settings
from tests.workspace.pages import Person


@pytest.fixture
async def dev_stack_person(
    sqlite_engine: Engine, tmp_path: Path, person: Callable[[], Person]
) -> AsyncIterator[Callable[[], Person]]:
    """People at the pages of a dev stack that catches mail, one of which is in its mailbox."""
    settings: Settings = make_settings(
        tmp_path, temporal_address=UNREACHABLE_TEMPORAL, secure_cookies=False, mail_catcher=True
    )
    mail = EmailMessage()
    mail["To"], mail["Subject"] = "ap@acme.example", "Invoice INV-2026-0001"
    mail.set_content("Please find the invoice attached.")
    settings.mailbox_dir.mkdir(parents=True, exist_ok=True)
    (settings.mailbox_dir / "20261130-0001.eml").write_bytes(bytes(mail))
    made: list[Person] = []

    def make() -> Person:
        made.append(Person(sqlite_engine, settings))
        return made[-1]

    yield make
    for each in made:
        await each.aclose()


async def test_outside_the_dev_stack_there_is_no_mail_page(person: Callable[[], Person]) -> None:
    ops = person()
    await ops.log_in("ops")
    assert (await ops.open("/ui/outbox")).status_code == 404
    assert (await ops.open("/ui/outbox/20261130-0001")).status_code == 404


async def test_without_a_session_the_mail_page_sends_to_the_login(
    dev_stack_person: Callable[[], Person],
) -> None:
    stranger = dev_stack_person()
    for path in ("/ui/outbox", "/ui/outbox/20261130-0001"):
        answer = await stranger.open(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/app/login"


async def test_ops_read_the_caught_mail_and_finance_may_not(
    dev_stack_person: Callable[[], Person],
) -> None:
    ops, finance = dev_stack_person(), dev_stack_person()
    await ops.log_in("ops")
    await finance.log_in("finance")
    inbox = await ops.open("/ui/outbox")
    assert inbox.status_code == 200 and "Invoice INV-2026-0001" in inbox.text
    mail = await ops.open("/ui/outbox/20261130-0001")
    assert mail.status_code == 200 and "Please find the invoice attached." in mail.text
    refused = await finance.open("/ui/outbox")
    assert refused.status_code == 403 and "This page is not open to your roles." in refused.text
