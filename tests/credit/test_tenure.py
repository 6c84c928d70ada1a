"""A customer's tenure counts whole months from the day it was created in UTC, however the
database session's time zone shows that instant: the monthly run reads the day in SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.credit.behaviour import behaviours
from activities.transaction import transaction
from models.master_data.customers import Customer
from tests import factories

# Late on 30 November in UTC: already 1 December in Shanghai (UTC+8), where a year later the
# customer would be a day short of twelve months.
CREATED = datetime(2025, 11, 30, 23, 30, tzinfo=UTC)


def _created(engine: Engine, code: str, at: datetime) -> int:
    customer_id = factories.customer(engine, code).id
    with transaction(engine) as session:
        row = session.get(Customer, customer_id)
        assert row is not None
        row.created_at = at
        session.add(row)
    return customer_id


def test_tenure_counts_months_from_the_utc_day_created(engine: Engine) -> None:
    year = _created(engine, "YEAR", CREATED)
    new = _created(engine, "NEW", datetime(2026, 11, 1, 0, 0, tzinfo=UTC))
    with Session(engine) as session:
        if engine.dialect.name == "postgresql":
            session.connection().execute(text("SET TIME ZONE 'Asia/Shanghai'"))
        on_the_day = behaviours(session, date(2026, 11, 30))
        day_before = behaviours(session, date(2026, 11, 29))
    assert (on_the_day[year].tenure_months, day_before[year].tenure_months) == (12, 11)
    assert (on_the_day[new].tenure_months, day_before[new].tenure_months) == (0, 0)
