"""Demo data for the dev stack: one user per role, three customers, five products with stock.

Loaded once, in one transaction, through the same activities the API uses. The shared password
of the demo users is generated per install and only ever returned to be printed."""

from __future__ import annotations

import secrets
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.fulfilment.stock import receive_stock
from activities.master_data.customers import create_customer
from activities.master_data.products import create_product
from activities.security.users import create_user
from activities.transaction import transaction
from models.fulfilment.stock import StockReceipt
from models.master_data.customers import Customer, CustomerCreate
from models.master_data.products import Product, ProductCreate
from models.security.users import Role, User, UserCreate

DEMO_USERS = [role.value for role in Role]

DEMO_CUSTOMERS = [
    CustomerCreate(
        code="ACME",
        name="Acme Industrial Supply Inc.",
        email="purchasing@acme.example.com",
        phone="+1 415 555 0100",
        address="100 Market Street, San Francisco, CA 94105, USA",
        tax_id="US-94-1234567",
        credit_limit=Decimal("50000.00"),
        payment_terms_days=30,
        credit_class="preferred",
    ),
    CustomerCreate(
        code="HUADONG",
        name="上海华东贸易有限公司",
        email="caigou@huadong.example.com",
        phone="+86 21 5555 0188",
        address="上海市浦东新区世纪大道100号 邮编 200120",
        tax_id="91310115MA1K00000X",
        credit_limit=Decimal("20000.00"),
        payment_terms_days=14,
        language="zh",
    ),
    CustomerCreate(
        code="CORNER",
        name="Corner Hardware LLC",
        email="owner@cornerhardware.example.com",
        phone="+1 312 555 0142",
        address="42 Elm Avenue, Springfield, IL 62701, USA",
        credit_limit=Decimal("5000.00"),
        payment_terms_days=45,
        credit_class="watch",
    ),
]

DEMO_PRODUCTS = [
    ProductCreate(
        sku="WID-100", name="Steel widget", unit_price=Decimal("12.50"), tax_rate=Decimal("0.08")
    ),
    ProductCreate(
        sku="GEAR-200",
        name="Gear assembly, hardened",
        unit_price=Decimal("149.00"),
        tax_rate=Decimal("0.08"),
    ),
    ProductCreate(
        sku="BOLT-M8",
        name="M8 hex bolts, box of 100",
        unit="box",
        unit_price=Decimal("9.90"),
        tax_rate=Decimal("0.08"),
    ),
    ProductCreate(
        sku="CABLE-5M",
        name="Power cable 5 m",
        unit_price=Decimal("7.25"),
        tax_rate=Decimal("0.13"),
    ),
    ProductCreate(
        sku="GREASE-KG",
        name="Lithium grease (per kg)",
        unit="kg",
        whole_units=False,
        unit_price=Decimal("18.40"),
        tax_rate=Decimal("0.13"),
    ),
]

# GEAR-200 is deliberately scarce, so a bigger order shows a backorder.
DEMO_STOCK = {
    "WID-100": Decimal("500"),
    "GEAR-200": Decimal("5"),
    "BOLT-M8": Decimal("200"),
    "CABLE-5M": Decimal("150"),
    "GREASE-KG": Decimal("80.5"),
}


def _existing(session: Session) -> list[str]:
    """The demo records that are already in the database, named."""
    users = session.exec(select(User.username).where(col(User.username).in_(DEMO_USERS))).all()
    codes = [c.code for c in DEMO_CUSTOMERS]
    customers = session.exec(select(Customer.code).where(col(Customer.code).in_(codes))).all()
    skus = [p.sku for p in DEMO_PRODUCTS]
    products = session.exec(select(Product.sku).where(col(Product.sku).in_(skus))).all()
    return [*users, *customers, *products]


def load_demo_data(engine: Engine, password: str | None = None) -> list[str]:
    """Loads the demo data unless any of it exists; returns the lines to print (once)."""
    password = password or secrets.token_urlsafe(9)
    with transaction(engine) as session:
        existing = _existing(session)
        if existing:
            shown = ", ".join(existing[:5]) + (", ..." if len(existing) > 5 else "")
            return [f"demo data already present ({shown}): nothing loaded"]
        for username in DEMO_USERS:
            create_user(
                session,
                UserCreate(
                    username=username,
                    password=password,
                    roles=[Role(username)],
                    email=f"{username}@o2c.example.com",
                ),
            )
        for customer in DEMO_CUSTOMERS:
            create_customer(session, customer)
        for product in DEMO_PRODUCTS:
            create_product(session, product)
        for sku, quantity in DEMO_STOCK.items():
            receive_stock(session, StockReceipt(sku=sku, quantity=quantity), user="demo")
    return [
        f"demo data loaded: {len(DEMO_USERS)} users, {len(DEMO_CUSTOMERS)} customers, "
        f"{len(DEMO_PRODUCTS)} products with stock",
        f"demo users, one per role: {', '.join(DEMO_USERS)}",
        f"demo password of every demo user (shown only this once): {password}",
    ]
