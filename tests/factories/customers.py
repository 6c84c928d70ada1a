"""Rows for tests, made through the same use cases the API calls."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.fulfilment.stock import receive_stock
from activities.master_data.customers import create_customer
from activities.master_data.products import create_product
from activities.sales.orders import create_order
from models.fulfilment.policy import FulfilmentPolicy
from models.fulfilment.stock import StockReceipt
from models.master_data.customers import CustomerCreate, CustomerPublic
from models.master_data.products import ProductCreate
from models.sales.order_requests import OrderCreate, OrderLineCreate
from models.sales.orders import OrderPublic


def customer(
    engine: Engine, code: str = "ACME", credit_limit: str = "10000.00", **kw: object
) -> CustomerPublic:
    data = CustomerCreate(
        code=code,
        name=f"{code} Ltd",
        email=f"ap@{code.lower()}.example",
        credit_limit=Decimal(credit_limit),
        **kw,  # type: ignore[arg-type]
    )
    with Session(engine) as session, session.begin():
        return create_customer(session, data)


def product(engine: Engine, sku: str = "WIDGET", price: str = "10.00", stock: int = 0) -> None:
    with Session(engine) as session, session.begin():
        create_product(
            session,
            ProductCreate(
                sku=sku, name=sku.title(), unit_price=Decimal(price), tax_rate=Decimal("0.10")
            ),
        )
        if stock:
            receive_stock(session, StockReceipt(sku=sku, quantity=Decimal(stock)), "test")


def order(
    engine: Engine,
    customer_id: int,
    sku: str = "WIDGET",
    quantity: int = 1,
    policy: FulfilmentPolicy = FulfilmentPolicy.SHIP_PARTIAL,
    user: str = "sales",
) -> OrderPublic:
    data = OrderCreate(
        customer_id=customer_id,
        lines=[OrderLineCreate(sku=sku, quantity=Decimal(quantity))],
        fulfilment_policy=policy,
    )
    with Session(engine) as session, session.begin():
        return create_order(session, data, user, date(2026, 11, 27))
