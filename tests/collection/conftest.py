"""The collections team the collection workflows write to and assign tasks to."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from tests import factories


@pytest.fixture
def collections_team(sqlite_engine: Engine) -> None:
    """COLLECTIONS_TEAM's staff with mailboxes."""
    factories.staff(sqlite_engine, factories.COLLECTIONS_TEAM)
