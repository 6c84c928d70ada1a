"""Demo data: one user per role that can log in, customers, products and stock; loaded once."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.security.users import authenticate
from models.fulfilment.stock import StockLevel, StockMove
from models.master_data.customers import Customer
from models.master_data.products import Product
from models.security.users import Role, User
from o2c.bootstrap import upgrade_database
from o2c.db import engine_for
from o2c.demo import DEMO_STOCK, load_demo_data


def fresh_database(tmp_path: Path) -> Engine:
    tmp_path.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade_database(url)
    return engine_for(url)


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            table.__name__: session.exec(select(func.count()).select_from(table)).one()
            for table in (User, Customer, Product, StockLevel, StockMove)
        }


def printed_password(lines: list[str]) -> str:
    found = [m.group(1) for line in lines if (m := re.search(r"this once\): (\S+)$", line))]
    assert len(found) == 1, lines
    return found[0]


def test_demo_data_loads_once_and_every_role_can_log_in(tmp_path: Path) -> None:
    engine = fresh_database(tmp_path)

    lines = load_demo_data(engine)
    password = printed_password(lines)
    assert len(password) >= 8

    with Session(engine) as session:
        for role in Role:
            user = authenticate(session, role.value, password)
            assert user is not None, role
            assert user.role_set == {role}
            assert authenticate(session, role.value, password + "x") is None

        customers = {c.code: c for c in session.exec(select(Customer)).all()}
        assert len(customers) == 3
        assert sorted(c.credit_limit for c in customers.values()) == [
            Decimal("5000.00"),
            Decimal("20000.00"),
            Decimal("50000.00"),
        ]
        assert sorted(c.payment_terms_days for c in customers.values()) == [14, 30, 45]
        chinese = [c for c in customers.values() if c.language == "zh"]
        assert len(chinese) == 1
        assert re.search(r"[\u4e00-\u9fff]", chinese[0].name)
        assert chinese[0].address and re.search(r"[\u4e00-\u9fff]", chinese[0].address)

        products = session.exec(select(Product)).all()
        assert len(products) == 5
        assert all(p.unit_price > 0 and p.tax_rate > 0 for p in products)

        levels = {s.sku: s.on_hand for s in session.exec(select(StockLevel)).all()}
        assert levels == DEMO_STOCK
        assert {p.sku for p in products} == set(levels)

    before = counts(engine)
    assert before == {
        "User": len(Role),
        "Customer": 3,
        "Product": 5,
        "StockLevel": 5,
        "StockMove": 5,
    }

    again = load_demo_data(engine)
    assert len(again) == 1 and "already present" in again[0] and "nothing loaded" in again[0]
    assert not any(password in line for line in again)
    assert counts(engine) == before


def test_each_install_gets_its_own_password(tmp_path: Path) -> None:
    first = fresh_database(tmp_path / "a")
    second = fresh_database(tmp_path / "b")
    assert printed_password(load_demo_data(first)) != printed_password(load_demo_data(second))
