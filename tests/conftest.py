"""Shared test fixtures: databases (SQLite, and PostgreSQL when it answers), Temporal servers
(time-skipping and the real dev server), the SMTP catcher, and an API client per role."""

from __future__ import annotations

import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

import models.tables  # noqa: F401  (registers every table)
from o2c.db import engine_for
from o2c.mailcatcher import MailCatcher
from tests.histories import RECORD_DIR, record_histories
from workflows.search_attributes import ALL as SEARCH_ATTRIBUTES

BIN = Path(sys.executable).parent
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


DATABASES = ["sqlite"] + (["postgresql"] if postgres_answers() else [])


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A database of its own for this test run, dropped at the end."""
    name = f"o2c_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    SQLModel.metadata.create_all(engine_for(url))
    yield url
    engine_for(url).dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=DATABASES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database with the whole schema, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        sqlite = engine_for(f"sqlite:///{tmp_path / 'o2c.db'}")
        SQLModel.metadata.create_all(sqlite)
        yield sqlite
        sqlite.dispose()
    else:
        pg = engine_for(request.getfixturevalue("pg_url"))
        _truncate_all(pg)
        yield pg


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = engine_for(f"sqlite:///{tmp_path / 'o2c.db'}")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping server of the test's own (about a second to start): a shared one's clock
    can stay locked by timers and children an earlier test left behind."""
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=str(BIN / "temporal-test-server"),
    )
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={key.name: key.indexed_value_type for key in SEARCH_ATTRIBUTES},
        )
    )
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
async def shared_dev_server() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        data_converter=pydantic_data_converter,
        dev_server_existing_path=str(BIN / "temporal"),
        search_attributes=SEARCH_ATTRIBUTES,
    )
    yield env
    await env.shutdown()


@pytest.fixture
async def dev_server_env(
    shared_dev_server: WorkflowEnvironment, request: pytest.FixtureRequest
) -> AsyncIterator[WorkflowEnvironment]:
    """The real dev server; workflows a test leaves running are ended, since every test's
    database numbers its orders from 1 and workflow ids follow those numbers."""
    started = datetime.now(UTC)
    yield shared_dev_server
    client = shared_dev_server.client
    if RECORD_DIR:
        runs = [
            (e.id, e.run_id)
            async for e in client.list_workflows()
            if e.start_time >= started and not e.id.startswith("schedule")
        ]
        await record_histories(client, request.node.name, runs)
    async for execution in client.list_workflows('ExecutionStatus = "Running"'):
        await client.get_workflow_handle(execution.id).terminate("test finished")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def mail_catcher(tmp_path: Path) -> Iterator[MailCatcher]:
    catcher = MailCatcher(tmp_path / "mailbox", port=free_port())
    catcher.start()
    yield catcher
    catcher.stop()
