"""Fulfilment test support: orders approved in the database as the workflow would, and the
outbox relayed by hand (workflow tests run no relay loop)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio.client import Client

from activities.sales.approvals import record_decision
from activities.sales.orders import get_order
from activities.security.users import create_user
from models.fulfilment.stock import StockLevel
from models.sales.messages import DecisionInput
from models.sales.orders import OrderLine
from models.security.users import Role, UserCreate
from o2c.relay import relay_once


def approve(engine: Engine, order_id: int, at: datetime | None = None) -> None:
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


def rep(engine: Engine, email: str = "rep@o2c.example") -> None:
    with Session(engine) as session, session.begin():
        create_user(
            session,
            UserCreate(username="sales", password="password-123", roles=[Role.SALES], email=email),
        )


def level(engine: Engine, sku: str = "WIDGET", warehouse: str = "MAIN") -> StockLevel:
    with Session(engine) as session:
        found = session.exec(
            select(StockLevel).where(StockLevel.sku == sku, StockLevel.warehouse == warehouse)
        ).one()
        return found


def status(engine: Engine, order_id: int) -> str:
    with Session(engine) as session:
        return str(get_order(session, order_id).status)


def shipped(engine: Engine, order_id: int) -> Decimal:
    with Session(engine) as session:
        lines = session.exec(select(OrderLine).where(OrderLine.order_id == order_id)).all()
        return sum((line.shipped_quantity for line in lines), Decimal(0))


async def relay(client: Client, engine: Engine, task_queue: str) -> None:
    await relay_once(client, engine, task_queue)
