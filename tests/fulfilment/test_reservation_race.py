"""Many orders reserving scarce stock at the same moment on PostgreSQL, each in its own session
and thread, with receipts arriving in between: nothing is oversold, nobody deadlocks, and the
level rows agree with the ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.fulfilment.reservations import reserve_for_order, reserved_by_line
from activities.fulfilment.stock_ledger import ledger_totals
from models.fulfilment.stock import StockLevel
from models.sales.orders import OrderLine
from tests import factories
from tests.fixtures.databases import needs_postgresql
from tests.support.threads import errors_at_once

pytestmark = needs_postgresql
ORDERS = 40


def _orders(engine: Engine, customer_id: int) -> list[int]:
    """Approved orders of both SKUs, a minute apart."""
    start = datetime(2026, 11, 1, tzinfo=UTC)
    ids = []
    for n in range(ORDERS):
        # Lines name the SKUs in both orders, so a careless lock order would deadlock.
        skus = ["ALPHA", "BETA"] if n % 2 else ["BETA", "ALPHA"]
        lines = {sku: 1 + n % 3 for sku in skus}
        order = factories.order(engine, customer_id, lines=lines, on=start.date())
        factories.approve(engine, order.id, start + timedelta(minutes=n))
        ids.append(order.id)
    return ids


def test_concurrent_orders_never_oversell_scarce_stock(pg_engine: Engine) -> None:
    customer = factories.customer(pg_engine, credit_limit="1000000.00")
    factories.warehouse(pg_engine, "EAST", "East")
    for sku, stock in (("ALPHA", 10), ("BETA", 6)):
        factories.product(pg_engine, sku=sku, stock=stock)
    factories.receive(pg_engine, 4, "ALPHA", warehouse="EAST")
    order_ids = _orders(pg_engine, customer.id)
    at = datetime(2026, 11, 27, tzinfo=UTC)

    def reserve(order_id: int) -> None:
        with Session(pg_engine) as session, session.begin():
            reserve_for_order(session, order_id, at, hold_days=7)

    def receive(sku: str) -> None:
        factories.receive(pg_engine, 3, sku, at=at)

    errors = errors_at_once(
        [lambda i=i: reserve(i) for i in order_ids]
        + [lambda sku=sku: receive(sku) for sku in ("ALPHA", "BETA")]
    )
    assert errors == []

    with Session(pg_engine) as session:
        levels = session.exec(select(StockLevel)).all()
        lines = session.exec(select(OrderLine)).all()
        claimed = reserved_by_line(session, [line.id or 0 for line in lines])
        for level in levels:
            assert 0 <= level.reserved <= level.on_hand  # never oversold, never negative
            assert ledger_totals(session, level.sku, level.warehouse) == (
                level.on_hand,
                level.reserved,
            )
    for line in lines:
        assert 0 <= claimed.get(line.id or 0, Decimal(0)) <= line.quantity
    supply = {"ALPHA": Decimal(10 + 4 + 3), "BETA": Decimal(6 + 3)}
    for sku, total in supply.items():
        reserved = sum(claimed.get(x.id or 0, Decimal(0)) for x in lines if x.sku == sku)
        assert reserved == total  # demand exceeds supply: every unit went to an order, once
