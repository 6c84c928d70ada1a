"""What a bench run needs in its database: customers with room on their credit, one product
with stock for every order, and (for the API) a user named after each role."""

from __future__ import annotations

import secrets
from decimal import Decimal

from sqlalchemy.engine import Engine

from activities.fulfilment.stock import receive_stock
from activities.master_data.customers import create_customer
from activities.master_data.products import create_product
from activities.security.users import create_user
from activities.transaction import transaction
from models.fulfilment.stock import StockReceipt
from models.master_data.customers import CustomerCreate
from models.master_data.products import ProductCreate
from models.security.users import Role, UserCreate

SKU = "B1"


def customers(engine: Engine, count: int, prefix: str = "BENCH") -> list[int]:
    """`count` customers, each allowed far more credit than any run uses."""
    with transaction(engine) as session:
        made = [
            create_customer(
                session,
                CustomerCreate(
                    code=f"{prefix}{number}",
                    name=f"{prefix.title()} {number} Ltd",
                    email=f"ap{number}@{prefix.lower()}.example",
                    credit_limit=Decimal("100000000.00"),
                ),
            )
            for number in range(count)
        ]
    return [customer.id for customer in made]


def product(engine: Engine, units: int) -> None:
    with transaction(engine) as session:
        create_product(session, ProductCreate(sku=SKU, name="Bench", unit_price=Decimal("10.00")))
        receive_stock(session, StockReceipt(sku=SKU, quantity=Decimal(units)), "bench")


def users(engine: Engine) -> None:
    """A user named after each role, holding only that role (the bench issues their tokens)."""
    password = secrets.token_urlsafe(16)
    with transaction(engine) as session:
        for role in Role:
            create_user(session, UserCreate(username=role.value, password=password, roles=[role]))
