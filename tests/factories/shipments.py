"""API fixtures for fulfilment: the app on the test database, with the outbox left pending
(no Temporal here: what the commands queue is asserted from the database)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.fulfilment.planning import plan_fulfilment
from api.main import create_app
from models.fulfilment.messages import FulfilmentInput, FulfilmentPlan
from o2c.settings import Settings
from o2c.worker import fulfilment_config
from tests import factories
from tests.fulfilment.support import approve
from tests.helpers import ApiClient, add_users, make_settings


class NoTemporal:
    async def flush_outbox(self) -> None:
        return None


@pytest.fixture
async def api(engine: Engine, tmp_path: Path) -> AsyncIterator[ApiClient]:
    settings = make_settings(tmp_path)
    add_users(engine)
    app = create_app(settings, engine)
    app.state.temporal = NoTemporal()
    client = ApiClient(app, settings)
    yield client
    await client.aclose()


def planned_order(engine: Engine, quantity: int = 2, stock: int = 5) -> FulfilmentPlan:
    """An approved order whose stock is reserved and whose shipment is planned."""
    customer = factories.customer(engine)
    factories.product(engine, stock=stock)
    order = factories.order(engine, customer.id, quantity=quantity)
    approve(engine, order.id)
    return plan(engine, order.id)


def plan(engine: Engine, order_id: int) -> FulfilmentPlan:
    with Session(engine) as session, session.begin():
        return plan_fulfilment(
            session,
            FulfilmentInput(order_id=order_id, at=datetime.now(UTC)),
            fulfilment_config(Settings()),
            reserve_now=True,
        )
