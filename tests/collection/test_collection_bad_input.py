"""Bad input to collection: a clear 4xx or 409, and nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from models.collection.tasks import CollectionOutcome, InvoiceDispute, PaymentPromise
from tests.support.api_client import ApiClient
from tests.support.clock import moment
from tests.support.collection import customer_pays, invoice_in_collection, task_of
from tests.support.database import rows
from tests.support.receivables import current
from tests.support.workflows import Flow
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow

pytestmark = pytest.mark.usefixtures("collections_team")


def _written(engine: Engine) -> tuple[int, int, int]:
    """Outcomes, promises and disputes recorded."""
    return (
        rows(engine, CollectionOutcome),
        rows(engine, PaymentPromise),
        rows(engine, InvoiceDispute),
    )


async def test_bad_collection_requests_are_refused_and_change_nothing(
    flow: Flow, sqlite_engine: Engine, live_api: ApiClient
) -> None:
    invoice, handle = await invoice_in_collection(flow, collector="carol")
    await flow.sleep_until(moment(invoice.due_date, 60))
    task = task_of(sqlite_engine, invoice)
    assert task is not None and task.assignee == "carol"
    today = await flow.today()
    before = _written(sqlite_engine)

    past = await live_api.post(
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
    direct = await live_api.post(
        f"/invoices/{invoice.id}/promise",
        "carol",
        {"promised_date": str(today - timedelta(days=1)), "amount": "100.00"},
    )
    assert direct.status_code == 422
    too_much = await live_api.post(
        f"/invoices/{invoice.id}/promise",
        "carol",
        {"promised_date": str(today + timedelta(days=3)), "amount": "5000.00"},
    )
    assert too_much.status_code == 422

    not_theirs = await live_api.post(
        f"/collection-tasks/{task.id}/outcome", "colin", {"outcome": "contacted", "note": "hi"}
    )
    assert not_theirs.status_code == 403 and "carol" in not_theirs.json()["detail"]
    assert _written(sqlite_engine) == before
    assert (await handle.query(InvoiceCollectionWorkflow.collection)).paused_by is None

    await live_api.post(
        f"/collection-tasks/{task.id}/outcome",
        "carol",
        {"outcome": "resolved", "note": "done"},
        expect=200,
    )
    after_close = _written(sqlite_engine)
    closed = await live_api.post(
        f"/collection-tasks/{task.id}/outcome", "carol", {"outcome": "contacted", "note": "again"}
    )
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]
    assert _written(sqlite_engine) == after_close

    await customer_pays(flow, invoice, "1000.00")
    await handle.result()
    paid = await live_api.post(f"/invoices/{invoice.id}/dispute", "carol", {"reason": "late claim"})
    assert paid.status_code == 409 and "paid" in paid.json()["detail"]
    assert _written(sqlite_engine) == after_close
    assert current(sqlite_engine, invoice.id).status == "paid"


async def test_resolving_an_undisputed_invoice_is_a_conflict(
    flow: Flow, sqlite_engine: Engine, live_api: ApiClient
) -> None:
    invoice, _ = await invoice_in_collection(flow)
    answer = await live_api.post(
        f"/invoices/{invoice.id}/dispute/resolve", "fiona", {"resolution": "nothing to resolve"}
    )
    assert answer.status_code == 409
    twice = await live_api.post(f"/invoices/{invoice.id}/dispute", "carol", {"reason": "damaged"})
    assert twice.status_code == 200
    again = await live_api.post(f"/invoices/{invoice.id}/dispute", "carol", {"reason": "damaged"})
    assert again.status_code == 409 and _written(sqlite_engine)[2] == 1
