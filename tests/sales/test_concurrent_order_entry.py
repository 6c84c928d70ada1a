"""Orders entered at the same moment on PostgreSQL: the credit gate cannot be raced, order
numbers stay gapless and unique. Each thread has its own connection and transaction."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.numbering import next_number
from tests import factories
from tests.fixtures.databases import needs_postgresql
from tests.support.threads import at_once

pytestmark = needs_postgresql


def test_two_orders_at_the_same_moment_cannot_both_pass_a_limit_they_exceed_together(
    pg_engine: Engine,
) -> None:
    for attempt in range(5):
        customer = factories.customer(pg_engine, code=f"RACE{attempt}", credit_limit="100.00")
        if attempt == 0:
            factories.product(pg_engine, price="10.00")  # 11.00 a unit with tax
        # 66.00 each: either fits alone, the two together do not.
        orders = at_once([lambda c=customer.id: factories.order(pg_engine, c, quantity=6)] * 2)
        assert sorted(o.status for o in orders) == ["credit_hold", "pending_approval"]


def test_order_numbers_are_gapless_and_unique_under_concurrent_entry(pg_engine: Engine) -> None:
    customer = factories.customer(pg_engine, credit_limit="1000000.00")
    factories.product(pg_engine, price="10.00")
    orders = at_once([lambda: factories.order(pg_engine, customer.id)] * 8)
    numbers = sorted(o.number for o in orders)
    assert numbers == [f"SO-2026-{n:06d}" for n in range(1, 9)]


def test_a_rolled_back_entry_leaves_no_gap(pg_engine: Engine) -> None:
    with Session(pg_engine) as session:
        session.begin()
        assert next_number(session, "SO", 2026) == "SO-2026-000001"
        session.rollback()  # the order failed after taking a number
    with Session(pg_engine) as session, session.begin():
        assert next_number(session, "SO", 2026) == "SO-2026-000001"
