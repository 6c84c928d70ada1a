"""Escalation to collectors, promises, disputes and the bad-debt write-off, driven through the
HTTP API (Updates to the invoice's workflow) on a time-skipped clock."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio.client import WorkflowHandle

from models.collection.tasks import CustomerCollection
from models.receivables.invoices import InvoicePublic
from models.receivables.ledger import Account, LedgerLine
from o2c.mailcatcher import MailCatcher
from tests.support.api_client import ApiClient
from tests.support.clock import moment
from tests.support.collection import customer_pays, invoice_in_collection, steps, task_of
from tests.support.mail import received
from tests.support.workflows import Flow
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow
from workflows.search_attributes import ASSIGNED_TO

D = Decimal
pytestmark = pytest.mark.usefixtures("collections_team")


async def _at_last_level(flow: Flow) -> tuple[InvoicePublic, WorkflowHandle[Any, Any]]:
    """Carol's customer's invoice, an hour after its last level (60 days past due)."""
    invoice, handle = await invoice_in_collection(flow, collector="carol")
    await flow.sleep_until(moment(invoice.due_date, 60))
    return invoice, handle


async def _assignee(handle: WorkflowHandle) -> str | None:
    return (await handle.describe()).typed_search_attributes.get(ASSIGNED_TO)


async def test_last_level_opens_a_task_for_the_collector_then_reminds_then_escalates(
    flow: Flow, sqlite_engine: Engine, mail_catcher: MailCatcher, live_api: ApiClient
) -> None:
    invoice, handle = await _at_last_level(flow)
    listed = await live_api.get(
        "/collection-tasks", "carol", params={"assignee": "me", "status": "open"}
    )
    assert listed["total"] == 1
    task = listed["items"][0]
    assert (task["invoice_id"], task["assignee"], task["level"]) == (invoice.id, "carol", 3)
    assert await _assignee(handle) == "carol"
    assert [m["To"] for m in received(mail_catcher)] == ["carol@o2c.example"]

    await flow.env.sleep(timedelta(hours=25))  # not worked within a day: the collector is reminded
    assert [m["To"] for m in received(mail_catcher)] == ["carol@o2c.example"] * 2
    assert "not worked in time" in str(received(mail_catcher)[-1]["Subject"])

    await flow.env.sleep(timedelta(hours=48))  # still nothing after three days: a manager takes it
    assert received(mail_catcher)[-1]["To"] == "max@o2c.example"
    assert await _assignee(handle) == "max"
    row = task_of(sqlite_engine, invoice)
    assert row is not None and row.assignee == "max" and row.escalated


async def test_collector_list_is_ranked_by_amount_times_days_overdue(
    flow: Flow, live_api: ApiClient
) -> None:
    # Begun at noon UTC, the scenario counts the same days whenever the test runs (begun late
    # in the evening, its four days and two hours would end a day later: 66 days overdue).
    await flow.skip_to_next(time(12))
    # Customers without a collector of their own: their tasks go round robin.
    small_old, _ = await invoice_in_collection(flow, code="ACME", due_in_days=-80, total="100.00")
    await flow.env.sleep(timedelta(hours=1))
    big_new, _ = await invoice_in_collection(flow, code="BETA", due_in_days=-61, total="5000.00")
    await flow.env.sleep(timedelta(hours=1))
    # Their levels were all missed: climbed a day apart, the last one on the fourth day.
    await flow.env.sleep(timedelta(days=4))
    as_of = await flow.today()
    listed = await live_api.get(
        "/collection-tasks", "max", params={"status": "open", "as_of": str(as_of)}
    )
    assert [t["invoice_id"] for t in listed["items"]] == [big_new.id, small_old.id]
    assert sorted(t["assignee"] for t in listed["items"]) == ["carol", "colin"]
    top = listed["items"][0]
    assert top["days_overdue"] == 65
    assert D(top["priority"]) == D("5000.00") * 65


async def test_promise_kept_closes_the_task(
    flow: Flow, sqlite_engine: Engine, live_api: ApiClient
) -> None:
    invoice, handle = await _at_last_level(flow)
    task = task_of(sqlite_engine, invoice)
    assert task is not None
    today = await flow.today()
    promised = today + timedelta(days=5)
    answer = await live_api.post(
        f"/collection-tasks/{task.id}/outcome",
        "carol",
        {
            "outcome": "promise",
            "note": "AP will pay",
            "promised_date": str(promised),
            "amount": "400.00",
        },
        expect=200,
    )
    assert answer.json()["follow_up_on"] == str(promised + timedelta(days=3))
    view = await handle.query(InvoiceCollectionWorkflow.collection)
    assert view.paused_by == "promise"

    await flow.env.sleep(timedelta(days=2))
    await customer_pays(flow, invoice, "400.00")
    await flow.env.sleep(timedelta(days=7))  # past the promised date and the grace
    task = task_of(sqlite_engine, invoice)
    assert task is not None and task.status == "closed" and task.last_outcome == "promise_kept"
    assert await _assignee(handle) is None
    assert (await handle.query(InvoiceCollectionWorkflow.collection)).paused_by is None


async def test_promise_broken_pauses_dunning_then_escalates_and_marks_the_customer(
    flow: Flow, sqlite_engine: Engine, live_api: ApiClient
) -> None:
    invoice, _ = await invoice_in_collection(flow)
    due = invoice.due_date
    await flow.sleep_until(moment(due, 12))
    promised = due + timedelta(days=35)
    await live_api.post(
        f"/invoices/{invoice.id}/promise",
        "carol",
        {"promised_date": str(promised), "amount": "1000.00"},
        expect=200,
    )
    await flow.sleep_until(moment(due, 36))  # level 2 (day 30) waits for the promise
    assert [s[0] for s in steps(sqlite_engine, invoice)] == [0, 1]

    await flow.sleep_until(moment(due, 38))  # promised date + 2 days grace: broken
    assert [s[0] for s in steps(sqlite_engine, invoice)] == [0, 1, 2]
    task = task_of(sqlite_engine, invoice)
    assert task is not None and task.escalated and task.assignee == "max"
    with Session(sqlite_engine) as session:
        profile = session.get(CustomerCollection, invoice.customer_id)
        assert profile is not None and profile.broken_promises == 1


async def test_dispute_pauses_dunning_and_the_overdue_count_until_resolved(
    flow: Flow, sqlite_engine: Engine, live_api: ApiClient
) -> None:
    invoice, handle = await invoice_in_collection(flow)
    due = invoice.due_date
    await flow.sleep_until(moment(due, 5))
    opened = await live_api.post(
        f"/invoices/{invoice.id}/dispute", "carol", {"reason": "goods damaged"}, expect=200
    )
    assert opened.json()["status"] == "disputed"
    await flow.sleep_until(moment(due, 20))
    assert [s[0] for s in steps(sqlite_engine, invoice)] == [0]  # no level 1 on day 10

    resolved = await live_api.post(
        f"/invoices/{invoice.id}/dispute/resolve", "fiona", {"resolution": "credit refused"}
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "overdue"
    # 15 days in dispute do not count: level 1 comes 10 days past due counted without them.
    await flow.sleep_until(moment(due, 24))
    assert [s[0] for s in steps(sqlite_engine, invoice)] == [0]
    await flow.sleep_until(moment(due, 25, hours=2))
    assert steps(sqlite_engine, invoice)[1] == (1, 10, D("5.00"), D("2.74"))
    assert (await handle.query(InvoiceCollectionWorkflow.collection)).paused_by is None
    history = await live_api.get(f"/invoices/{invoice.id}/dunning", "fiona")
    assert [(s["level"], s["days_past_due"], s["fee"], s["interest"]) for s in history] == [
        (0, 0, "0.00", "0.00"),
        (1, 10, "5.00", "2.74"),
    ]


async def test_write_off_proposal_accepted_posts_bad_debt_and_ends_collection(
    flow: Flow, sqlite_engine: Engine, mail_catcher: MailCatcher, live_api: ApiClient
) -> None:
    invoice, handle = await _at_last_level(flow)
    early = await live_api.post(
        f"/invoices/{invoice.id}/write-off-proposal", "fiona", {"accept": True}
    )
    assert early.status_code == 409  # nothing proposed yet
    await flow.env.sleep(timedelta(days=29))
    assert not [m for m in received(mail_catcher) if m["To"] == "fiona@o2c.example"]
    await flow.env.sleep(timedelta(days=1, hours=1))
    proposal = [m for m in received(mail_catcher) if m["To"] == "fiona@o2c.example"]
    assert len(proposal) == 1 and "1,000.00 USD" in str(proposal[0]["Subject"])

    refused_by_collector = await live_api.post(
        f"/invoices/{invoice.id}/write-off-proposal", "carol", {"accept": True}
    )
    assert refused_by_collector.status_code == 403
    accepted = await live_api.post(
        f"/invoices/{invoice.id}/write-off-proposal", "fiona", {"accept": True, "comment": "gone"}
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "written_off"
    assert accepted.json()["outstanding"] == "0.00"
    assert (await handle.result()).outcome == "written_off"
    with Session(sqlite_engine) as session:
        bad_debt = session.exec(
            select(LedgerLine).where(LedgerLine.account == Account.BAD_DEBT)
        ).all()
        receivable = session.exec(
            select(LedgerLine).where(
                LedgerLine.account == Account.RECEIVABLES, LedgerLine.invoice_id == invoice.id
            )
        ).all()
    assert [x.debit for x in bad_debt] == [D("1000.00")]
    assert sum(x.debit - x.credit for x in receivable) == 0
    task = task_of(sqlite_engine, invoice)
    assert task is not None and task.status == "closed"
