"""Many orders reserving scarce stock at the same moment on PostgreSQL, each in its own session
and thread, with receipts arriving in between: nothing is oversold, nobody deadlocks, and the
level rows agree with the ledger."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.fulfilment.reservations import reserve_for_order, reserved_by_line
from activities.fulfilment.stock import receive_stock
from activities.fulfilment.stock_ledger import ledger_totals
from activities.fulfilment.warehouses import create_warehouse
from activities.sales.orders import create_order
from models.fulfilment.stock import StockLevel, StockReceipt
from models.fulfilment.warehouses import WarehouseCreate
from models.sales.order_requests import OrderCreate, OrderLineCreate
from models.sales.orders import OrderLine
from o2c.db import engine_for
from tests import factories
from tests.conftest import DATABASES, _truncate_all
from tests.fulfilment.support import approve

pytestmark = pytest.mark.skipif("postgresql" not in DATABASES, reason="needs PostgreSQL")
ORDERS = 40


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = engine_for(pg_url)
    _truncate_all(engine)
    yield engine


def _orders(engine: Engine, customer_id: int) -> list[int]:
    ids = []
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for n in range(ORDERS):
        # Lines name the SKUs in both orders, so a careless lock order would deadlock.
        skus = ["ALPHA", "BETA"] if n % 2 else ["BETA", "ALPHA"]
        data = OrderCreate(
            customer_id=customer_id,
            lines=[OrderLineCreate(sku=sku, quantity=Decimal(1 + n % 3)) for sku in skus],
        )
        with Session(engine) as session, session.begin():
            order = create_order(session, data, "sales", start.date())
        approve(engine, order.id, start + timedelta(minutes=n))
        ids.append(order.id)
    return ids


def test_concurrent_orders_never_oversell_scarce_stock(pg_engine: Engine) -> None:
    customer = factories.customer(pg_engine, credit_limit="1000000.00")
    with Session(pg_engine) as session, session.begin():
        create_warehouse(session, WarehouseCreate(code="EAST", name="East"))
    for sku, stock in (("ALPHA", 10), ("BETA", 6)):
        factories.product(pg_engine, sku=sku, stock=stock)
    with Session(pg_engine) as session, session.begin():
        receive_stock(
            session, StockReceipt(sku="ALPHA", quantity=Decimal(4), warehouse="EAST"), "w"
        )
    order_ids = _orders(pg_engine, customer.id)

    start = threading.Barrier(ORDERS + 2)
    errors: list[BaseException] = []
    at = datetime(2026, 11, 27, tzinfo=UTC)

    def reserve(order_id: int) -> None:
        start.wait()
        try:
            with Session(pg_engine) as session, session.begin():
                reserve_for_order(session, order_id, at, hold_days=7)
        except BaseException as exc:  # collected: the assertion below shows them
            errors.append(exc)

    def receive(sku: str) -> None:
        start.wait()
        try:
            with Session(pg_engine) as session, session.begin():
                receive_stock(session, StockReceipt(sku=sku, quantity=Decimal(3)), "w", at)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reserve, args=(i,)) for i in order_ids]
    threads += [threading.Thread(target=receive, args=(sku,)) for sku in ("ALPHA", "BETA")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
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
