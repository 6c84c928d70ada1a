"""Sales orders, entered through the order use case and approved as the workflow records it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.sales.approvals import record_decision
from activities.sales.orders import create_order
from models.fulfilment.policy import FulfilmentPolicy
from models.sales.messages import DecisionInput
from models.sales.order_requests import OrderCreate, OrderLineCreate
from models.sales.orders import OrderPublic
from tests.factories.customers import customer
from tests.factories.products import product

ORDER_DAY = date(2026, 11, 27)


def order(
    engine: Engine,
    customer_id: int,
    sku: str = "WIDGET",
    quantity: int = 1,
    *,
    lines: Mapping[str, int] | None = None,
    unit_price: Decimal | None = None,
    policy: FulfilmentPolicy = FulfilmentPolicy.SHIP_PARTIAL,
    user: str = "sales",
    on: date = ORDER_DAY,
) -> OrderPublic:
    """`quantity` of `sku` (or `lines`, SKU to quantity, in that order) entered by `user` on
    `on`; `unit_price` overrides the price list as a rep may."""
    data = OrderCreate(
        customer_id=customer_id,
        lines=[
            OrderLineCreate(sku=line_sku, quantity=Decimal(count), unit_price=unit_price)
            for line_sku, count in (lines or {sku: quantity}).items()
        ],
        fulfilment_policy=policy,
    )
    with Session(engine) as session, session.begin():
        return create_order(session, data, user, on)


def widget_order(
    engine: Engine,
    quantity: int = 1,
    *,
    stock: int = 0,
    policy: FulfilmentPolicy = FulfilmentPolicy.SHIP_PARTIAL,
    **customer_terms: Any,
) -> OrderPublic:
    """ACME's order of `quantity` widgets at 10.00 (11.00 with tax), `stock` of them on hand;
    `customer_terms` are ACME's own (credit limit, invoice policy...)."""
    buyer = customer(engine, **customer_terms)
    product(engine, stock=stock)
    return order(engine, buyer.id, quantity=quantity, policy=policy)


def approve(engine: Engine, order_id: int, at: datetime | None = None) -> None:
    """The order's approval as the workflow records it (no workflow runs here)."""
    with Session(engine) as session, session.begin():
        record_decision(
            session,
            DecisionInput(
                order_id=order_id,
                level=1,
                approved=True,
                user="approver",
                comment=None,
                at=at or datetime.now(UTC),
            ),
        )
