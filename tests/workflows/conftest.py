"""Workflow tests: a fresh worker on a random task queue per test, on the time-skipping server."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from models.fulfilment.shipments import Shipment
from models.receivables.invoices import Invoice
from models.sales.orders import SalesOrder
from o2c.mailcatcher import MailCatcher
from o2c.settings import Settings
from o2c.worker import build_worker
from tests.helpers import make_settings
from tests.histories import record_histories


@pytest.fixture
def settings(tmp_path: Path, mail_catcher: MailCatcher) -> Settings:
    return make_settings(tmp_path, smtp_port=mail_catcher.port, task_queue=f"wf-{uuid.uuid4()}")


@pytest.fixture
async def worker(
    time_skipping_env: WorkflowEnvironment,
    sqlite_engine: Engine,
    settings: Settings,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Worker]:
    async with build_worker(time_skipping_env.client, sqlite_engine, settings) as running:
        yield running
        await record_histories(
            time_skipping_env.client,
            request.node.name,
            [(i, None) for i in _workflow_ids(sqlite_engine)],
        )
        await _end_children(time_skipping_env.client, sqlite_engine)


def _workflow_ids(engine: Engine) -> list[str]:
    with Session(engine) as session:
        orders = session.exec(select(SalesOrder.id)).all()
        shipments = session.exec(select(Shipment.id)).all()
        invoices = session.exec(select(Invoice.id)).all()
    return (
        [f"order-{i}" for i in orders]
        + [f"shipment-{i}" for i in shipments]
        + [f"invoice-{i}" for i in invoices]
    )


async def _end_children(client: Client, engine: Engine) -> None:
    """Child workflow ids follow database ids, which restart at 1 in every test's database:
    end the children this test started so the next test can start its own."""
    with Session(engine) as session:
        shipments = session.exec(select(Shipment.id)).all()
        invoices = session.exec(select(Invoice.id)).all()
    ids = [f"shipment-{i}" for i in shipments] + [f"invoice-{i}" for i in invoices]
    for workflow_id in ids:
        with contextlib.suppress(RPCError):
            await client.get_workflow_handle(workflow_id).terminate("test finished")
