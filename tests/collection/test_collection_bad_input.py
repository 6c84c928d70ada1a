"""Bad input to collection: a clear 4xx or 409, and nothing changed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from models.collection.tasks import CollectionOutcome, InvoiceDispute, PaymentPromise
from o2c.settings import Settings
from tests.helpers import ApiClient, api_client
from tests.workflows import collection_setup as cs
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow


@pytest.fixture
async def api(
    sqlite_engine: Engine, settings: Settings, time_skipping_env: WorkflowEnvironment
) -> AsyncIterator[ApiClient]:
    client = api_client(sqlite_engine, settings, time_skipping_env.client)
    yield client
    await client.aclose()


def _written(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(table)).one()
            for table in (CollectionOutcome, PaymentPromise, InvoiceDispute)
        )


async def test_bad_collection_requests_are_refused_and_change_nothing(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker, api: ApiClient
) -> None:
    env = time_skipping_env
    cs.staff(sqlite_engine)
    customer_id = cs.customer(sqlite_engine, collector="carol")
    due = (await env.get_current_time()).date() + timedelta(days=5)
    invoice = cs.invoice(sqlite_engine, customer_id, due)
    handle = await cs.start(env, worker, invoice)
    await cs.sleep_until(env, cs.moment(due, 60))
    task = cs.task_of(sqlite_engine, invoice)
    assert task is not None and task.assignee == "carol"
    today = (await env.get_current_time()).date()
    before = _written(sqlite_engine)

    past = await api.post(
        f"/collection-tasks/{task.id}/outcome",
        "carol",
        {
            "outcome": "promise",
            "note": "x",
            "promised_date": str(today - timedelta(days=1)),
            "amount": "100.00",
        },
    )
    assert past.status_code == 422 and "past" in past.json()["detail"]
    direct = await api.post(
        f"/invoices/{invoice.id}/promise",
        "carol",
        {"promised_date": str(today - timedelta(days=1)), "amount": "100.00"},
    )
    assert direct.status_code == 422
    too_much = await api.post(
        f"/invoices/{invoice.id}/promise",
        "carol",
        {"promised_date": str(today + timedelta(days=3)), "amount": "5000.00"},
    )
    assert too_much.status_code == 422

    not_theirs = await api.post(
        f"/collection-tasks/{task.id}/outcome", "colin", {"outcome": "contacted", "note": "hi"}
    )
    assert not_theirs.status_code == 403 and "carol" in not_theirs.json()["detail"]
    assert _written(sqlite_engine) == before
    assert (await handle.query(InvoiceCollectionWorkflow.collection)).paused_by is None

    await api.post(
        f"/collection-tasks/{task.id}/outcome",
        "carol",
        {"outcome": "resolved", "note": "done"},
        expect=200,
    )
    after_close = _written(sqlite_engine)
    closed = await api.post(
        f"/collection-tasks/{task.id}/outcome", "carol", {"outcome": "contacted", "note": "again"}
    )
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]
    assert _written(sqlite_engine) == after_close

    await cs.pay(sqlite_engine, handle, invoice, "1000.00")
    await handle.result()
    paid = await api.post(f"/invoices/{invoice.id}/dispute", "carol", {"reason": "late claim"})
    assert paid.status_code == 409 and "paid" in paid.json()["detail"]
    assert _written(sqlite_engine) == after_close
    assert cs.reload(sqlite_engine, invoice).status == "paid"


async def test_resolving_an_undisputed_invoice_is_a_conflict(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker, api: ApiClient
) -> None:
    env = time_skipping_env
    cs.staff(sqlite_engine)
    customer_id = cs.customer(sqlite_engine)
    due = (await env.get_current_time()).date() + timedelta(days=5)
    invoice = cs.invoice(sqlite_engine, customer_id, due)
    await cs.start(env, worker, invoice)
    answer = await api.post(
        f"/invoices/{invoice.id}/dispute/resolve", "fiona", {"resolution": "nothing to resolve"}
    )
    assert answer.status_code == 409
    twice = await api.post(f"/invoices/{invoice.id}/dispute", "carol", {"reason": "damaged"})
    assert twice.status_code == 200
    again = await api.post(f"/invoices/{invoice.id}/dispute", "carol", {"reason": "damaged"})
    assert again.status_code == 409 and _written(sqlite_engine)[2] == 1
