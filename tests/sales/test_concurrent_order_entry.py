"""Orders entered at the same moment on PostgreSQL: the credit gate cannot be raced, order
numbers stay gapless and unique. Each thread has its own connection and transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import TypeVar

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.numbering import next_number
from activities.sales.orders import create_order
from models.sales.order_requests import OrderCreate, OrderLineCreate
from models.sales.orders import OrderPublic
from o2c.db import engine_for
from tests import factories
from tests.conftest import DATABASES, _truncate_all

T = TypeVar("T")
pytestmark = pytest.mark.skipif("postgresql" not in DATABASES, reason="needs PostgreSQL")


@pytest.fixture
def pg(pg_url: str) -> Iterator[Engine]:
    engine = engine_for(pg_url)
    _truncate_all(engine)
    yield engine


def at_once(count: int, work: Callable[[int], T]) -> list[T]:
    """Runs `work` in `count` threads released together; returns results in thread order."""
    barrier = threading.Barrier(count)
    results: list[T | BaseException] = [None] * count  # type: ignore[list-item]

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except BaseException as exc:  # surfaced below
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


def _enter(engine: Engine, customer_id: int, quantity: int) -> OrderPublic:
    data = OrderCreate(
        customer_id=customer_id, lines=[OrderLineCreate(sku="WIDGET", quantity=Decimal(quantity))]
    )
    with Session(engine) as session, session.begin():
        return create_order(session, data, "rep", date(2026, 11, 27))


def test_two_orders_at_the_same_moment_cannot_both_pass_a_limit_they_exceed_together(
    pg: Engine,
) -> None:
    for attempt in range(5):
        customer = factories.customer(pg, code=f"RACE{attempt}", credit_limit="100.00")
        if attempt == 0:
            factories.product(pg, price="10.00")  # 11.00 a unit with tax
        # 66.00 each: either fits alone, the two together do not.
        orders = at_once(2, lambda _, c=customer.id: _enter(pg, c, 6))
        assert sorted(o.status for o in orders) == ["credit_hold", "pending_approval"]


def test_order_numbers_are_gapless_and_unique_under_concurrent_entry(pg: Engine) -> None:
    customer = factories.customer(pg, credit_limit="1000000.00")
    factories.product(pg, price="10.00")
    orders = at_once(8, lambda _: _enter(pg, customer.id, 1))
    numbers = sorted(o.number for o in orders)
    assert numbers == [f"SO-2026-{n:06d}" for n in range(1, 9)]


def test_a_rolled_back_entry_leaves_no_gap(pg: Engine) -> None:
    with Session(pg) as session:
        session.begin()
        assert next_number(session, "SO", 2026) == "SO-2026-000001"
        session.rollback()  # the order failed after taking a number
    with Session(pg) as session, session.begin():
        assert next_number(session, "SO", 2026) == "SO-2026-000001"
