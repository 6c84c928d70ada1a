"""The chaos suite's stack: its own PostgreSQL database at the latest migration, the SMTP catcher,
and the Temporal server, worker and API as processes a test kills."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from o2c.bootstrap import upgrade_database
from o2c.db import engine_for
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.chaos.stack import Stack
from tests.fixtures.databases import needs_postgresql, new_postgres_database

pytestmark = needs_postgresql


@pytest.fixture
def chaos(tmp_path: Path, mail_catcher: MailCatcher) -> Iterator[tuple[Stack, Engine]]:
    with new_postgres_database("o2c_chaos") as url:
        upgrade_database(url)
        engine = engine_for(url)
        factories.one_user_per_role(engine)
        stack = Stack(tmp_path, url, mail_catcher.port)
        try:
            stack.start()
            yield stack, engine
        finally:
            stack.stop()
            engine.dispose()
