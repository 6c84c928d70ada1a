"""The sales desk the order workflows run against."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from tests import factories


@pytest.fixture
def sales_desk(sqlite_engine: Engine) -> None:
    """SALES_DESK's staff with mailboxes, one approval level any approver decides, and widgets
    at 10.00 (11.00 with tax) with none in stock."""
    factories.staff(sqlite_engine, factories.SALES_DESK)
    factories.approval_policy(sqlite_engine, {"name": "manager", "role": "approver"})
    factories.product(sqlite_engine, price="10.00")
