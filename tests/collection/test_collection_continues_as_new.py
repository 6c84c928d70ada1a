"""An invoice's collection continues as new when its history grows past its bound, and the new
run goes on exactly where the old one was: the same level, task and promise, nothing sent twice.
The bound is set low here; in production it is COLLECTION_HISTORY_BOUND events."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle

from o2c.mailcatcher import MailCatcher
from tests.fixtures.histories import runs_of
from tests.support.api_client import ApiClient
from tests.support.clock import moment
from tests.support.collection import customer_pays, invoice_in_collection, steps, task_of
from tests.support.mail import received
from tests.support.workflows import Flow
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow
from workflows.search_attributes import ASSIGNED_TO, DUNNING_LEVEL

pytestmark = pytest.mark.usefixtures("collections_team")

LOW_BOUND = 40  # events: a few payments' worth


async def _run_id(handle: WorkflowHandle[Any, Any]) -> str:
    """The run the workflow is on now."""
    return (await handle.describe()).run_id


async def _continued_as_new(flow: Flow, handle: WorkflowHandle[Any, Any], run_id: str) -> bool:
    described = await flow.env.client.get_workflow_handle(handle.id, run_id=run_id).describe()
    return described.status == WorkflowExecutionStatus.CONTINUED_AS_NEW


async def _pays_in_parts(flow: Flow, invoice: Any, parts: int, amount: str) -> None:
    for _ in range(parts):
        await customer_pays(flow, invoice, amount)
        await flow.env.sleep(timedelta(hours=1))


async def _steps_taken(flow: Flow, handle: WorkflowHandle[Any, Any]) -> Counter[str]:
    """How often each database step ran, over every run of the workflow so far."""
    taken: Counter[str] = Counter()
    for history in await runs_of(flow.env.client, handle.id, None):
        for event in history.events:
            marker = event.marker_recorded_event_attributes
            if marker.marker_name == "core_local_activity":
                taken[json.loads(marker.details["data"].payloads[0].data)["activity_type"]] += 1
    return taken


def _mailed_to(mail_catcher: MailCatcher, *people: str) -> list[str]:
    return [str(m["To"]) for m in received(mail_catcher) if str(m["To"]) in people]


async def test_invoice_paid_in_many_parts_continues_as_new_and_still_ends_settled(
    flow: Flow,
) -> None:
    invoice, handle = await invoice_in_collection(
        flow, due_in_days=30, total="100.00", history_bound=LOW_BOUND
    )
    first_run = await _run_id(handle)

    await _pays_in_parts(flow, invoice, 9, "10.00")
    assert await _run_id(handle) != first_run
    assert await _continued_as_new(flow, handle, first_run)
    assert Decimal(await handle.query(InvoiceCollectionWorkflow.current_outstanding)) == 10

    await customer_pays(flow, invoice, "10.00")
    assert (await handle.result()).outcome == "paid"


async def test_level_task_and_promise_survive_continuing_as_new_and_nothing_is_sent_twice(
    flow: Flow, sqlite_engine: Engine, mail_catcher: MailCatcher, live_api: ApiClient
) -> None:
    invoice, handle = await invoice_in_collection(flow, collector="carol", history_bound=LOW_BOUND)
    await flow.sleep_until(moment(invoice.due_date, 60))  # the last level opens carol's task
    task = task_of(sqlite_engine, invoice)
    assert task is not None
    promised = await flow.today() + timedelta(days=5)
    await live_api.post(
        f"/collection-tasks/{task.id}/outcome",
        "carol",
        {"outcome": "promise", "note": "AP will pay", "promised_date": str(promised)}
        | {"amount": "400.00"},
        expect=200,
    )
    before = await handle.query(InvoiceCollectionWorkflow.collection)
    run_before = await _run_id(handle)

    await _pays_in_parts(flow, invoice, 5, "10.00")  # not what was promised
    assert await _run_id(handle) != run_before
    assert await _continued_as_new(flow, handle, run_before)
    after = await handle.query(InvoiceCollectionWorkflow.collection)
    assert (after.level, after.task_id, after.assignee) == (3, task.id, "carol")
    assert (after.promise_until, after.paused_by) == (before.promise_until, "promise")
    attributes = (await handle.describe()).typed_search_attributes
    assert (attributes.get(DUNNING_LEVEL), attributes.get(ASSIGNED_TO)) == (3, "carol")

    # The promised date and its grace pass: the broken promise escalates, once, on time.
    assert before.promise_until is not None
    await flow.sleep_until(before.promise_until - timedelta(hours=1))
    assert _mailed_to(mail_catcher, "carol@o2c.example", "max@o2c.example") == ["carol@o2c.example"]
    await flow.sleep_until(before.promise_until + timedelta(hours=1))
    assert _mailed_to(mail_catcher, "carol@o2c.example", "max@o2c.example") == [
        "carol@o2c.example",
        "max@o2c.example",
    ]
    assert [s[0] for s in steps(sqlite_engine, invoice)] == [0, 1, 2, 3]
    assert (await handle.query(InvoiceCollectionWorkflow.collection)).assignee == "max"

    # Thirty days after the last level, the bad-debt write-off is proposed, on the hour.
    await flow.sleep_until(moment(invoice.due_date, 90, hours=-2))
    assert (await handle.query(InvoiceCollectionWorkflow.collection)).proposal_id is None
    await flow.sleep_until(moment(invoice.due_date, 90))
    proposed = await handle.query(InvoiceCollectionWorkflow.collection)
    assert proposed.proposal_id is not None
    run_proposed = await _run_id(handle)
    await _pays_in_parts(flow, invoice, 5, "10.00")
    assert await _continued_as_new(flow, handle, run_proposed)
    assert (await handle.query(InvoiceCollectionWorkflow.collection)).proposal_id == (
        proposed.proposal_id
    )

    taken = await _steps_taken(flow, handle)
    assert taken["dunning_plan"] == taken["open_collection_task"] == 1
    assert taken["take_dunning_step"] == 4
    assert taken["escalate_collection_task"] == taken["propose_bad_debt"] == 1

    await customer_pays(flow, invoice, "900.00")
    assert (await handle.result()).outcome == "paid"


async def test_a_promise_at_level_two_survives_continuing_as_new_and_level_three_comes_on_its_day(
    flow: Flow, sqlite_engine: Engine, live_api: ApiClient
) -> None:
    invoice, handle = await invoice_in_collection(flow, collector="carol", history_bound=LOW_BOUND)
    due = invoice.due_date
    await flow.sleep_until(moment(due, 31))
    await live_api.post(
        f"/invoices/{invoice.id}/promise",
        "carol",
        {"promised_date": str(due + timedelta(days=35)), "amount": "900.00"},
        expect=200,
    )
    before = await handle.query(InvoiceCollectionWorkflow.collection)
    run_before = await _run_id(handle)

    await _pays_in_parts(flow, invoice, 5, "10.00")
    assert await _continued_as_new(flow, handle, run_before)
    after = await handle.query(InvoiceCollectionWorkflow.collection)
    assert (after.level, after.paused_by, after.promise_until) == (
        2,
        "promise",
        before.promise_until,
    )

    await flow.sleep_until(moment(due, 38))  # promised date + 2 days grace: broken, escalated
    task = task_of(sqlite_engine, invoice)
    assert task is not None and task.escalated and task.assignee == "max"
    await flow.sleep_until(moment(due, 60, hours=-2))
    assert [s[0] for s in steps(sqlite_engine, invoice)] == [0, 1, 2]
    await flow.sleep_until(moment(due, 60))
    assert [(s[0], s[1]) for s in steps(sqlite_engine, invoice)] == [
        (0, 0),
        (1, 10),
        (2, 30),
        (3, 60),
    ]
    # Interest for the 30 days since level 2 charged it, on the 950.00 left: 950 x 12% x 30/365.
    assert steps(sqlite_engine, invoice)[3][3] == Decimal("9.37")


async def test_days_in_dispute_still_do_not_count_after_continuing_as_new(
    flow: Flow, sqlite_engine: Engine, live_api: ApiClient
) -> None:
    invoice, handle = await invoice_in_collection(flow, history_bound=LOW_BOUND)
    due = invoice.due_date
    await flow.sleep_until(moment(due, 5))
    await live_api.post(
        f"/invoices/{invoice.id}/dispute", "carol", {"reason": "goods damaged"}, expect=200
    )
    run_disputed = await _run_id(handle)
    await _pays_in_parts(flow, invoice, 5, "10.00")  # a new run, still in dispute
    assert await _continued_as_new(flow, handle, run_disputed)
    assert (await handle.query(InvoiceCollectionWorkflow.collection)).paused_by == "dispute"

    await flow.sleep_until(moment(due, 20))
    await live_api.post(
        f"/invoices/{invoice.id}/dispute/resolve",
        "fiona",
        {"resolution": "credit refused"},
        expect=200,
    )
    run_resolved = await _run_id(handle)
    await _pays_in_parts(flow, invoice, 5, "10.00")  # another new run, the 15 days carried
    assert await _continued_as_new(flow, handle, run_resolved)

    await flow.sleep_until(moment(due, 24))
    assert [s[0] for s in steps(sqlite_engine, invoice)] == [0]
    await flow.sleep_until(moment(due, 25))
    assert steps(sqlite_engine, invoice)[1][:3] == (1, 10, Decimal("5.00"))
