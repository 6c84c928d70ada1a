"""A write-off above the approval amount is decided by a finance approver through an Update on
the invoice's collection workflow; the wrong people are refused before anything is written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.receivables.write_offs import write_off_invoice
from models.receivables.write_offs import WriteOffCreate
from models.sales.messages import InvoiceCollectionInput, WriteOffDecision
from models.security.users import Role, User
from o2c.settings import Settings
from tests import factories
from tests.helpers import api_client
from tests.receivables import current, invoice
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow


async def test_large_write_off_is_posted_when_a_finance_approver_accepts_it(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine)
    now = await time_skipping_env.get_current_time()
    issued = invoice(sqlite_engine, customer.id, net="1000.00", issued=now.date())
    handle = await time_skipping_env.client.start_workflow(
        InvoiceCollectionWorkflow.run,
        InvoiceCollectionInput(
            invoice_id=issued.id,
            customer_id=customer.id,
            due_date=issued.due_date,
            outstanding=issued.total,
        ),
        id=f"invoice-{issued.id}-{worker.task_queue}",
        task_queue=worker.task_queue,
    )
    with Session(sqlite_engine) as session, session.begin():
        waiting = write_off_invoice(
            session, issued.id, WriteOffCreate(reason="insolvent"), "finance", date.today(), "wo"
        )
    assert waiting.state == "pending_approval"
    decision = WriteOffDecision(
        write_off_id=waiting.id,
        invoice_id=issued.id,
        requested_by="finance",
        user="finance",
        roles=["finance", "approver"],
    )

    for refused in (decision, decision.model_copy(update={"user": "clerk", "roles": ["finance"]})):
        with pytest.raises(WorkflowUpdateFailedError) as failed:
            await handle.execute_update(InvoiceCollectionWorkflow.decide_write_off, refused)
        assert isinstance(failed.value.cause, ApplicationError)
        assert failed.value.cause.type == "Forbidden"
    assert current(sqlite_engine, issued.id).written_off == 0

    approved = decision.model_copy(update={"user": "controller"})
    state = await handle.execute_update(InvoiceCollectionWorkflow.decide_write_off, approved)
    assert state == "posted"
    assert current(sqlite_engine, issued.id).written_off == Decimal("1100.00")
    assert (await handle.result()).outcome == "written_off"


async def test_finance_approver_decides_a_waiting_write_off_through_the_api(
    time_skipping_env: WorkflowEnvironment,
    sqlite_engine: Engine,
    worker: Worker,
    settings: Settings,
) -> None:
    with Session(sqlite_engine) as session, session.begin():
        for name, roles in (("finance", "finance"), ("approver", "approver")):
            session.add(User(username=name, password_hash="-", roles=roles))
    customer = factories.customer(sqlite_engine)
    now = await time_skipping_env.get_current_time()
    issued = invoice(sqlite_engine, customer.id, net="1000.00", issued=now.date())
    await time_skipping_env.client.start_workflow(
        InvoiceCollectionWorkflow.run,
        InvoiceCollectionInput(
            invoice_id=issued.id,
            customer_id=customer.id,
            due_date=issued.due_date,
            outstanding=issued.total,
        ),
        id=f"invoice-{issued.id}",
        task_queue=worker.task_queue,
    )
    api = api_client(sqlite_engine, settings, time_skipping_env.client)
    waiting = await api.post(
        f"/invoices/{issued.id}/write-off", Role.FINANCE, {"reason": "insolvent"}, expect=202
    )
    decide = f"/invoices/{issued.id}/write-offs/{waiting.json()['id']}/decision"
    assert (await api.post(decide, Role.FINANCE, {"approve": True})).status_code == 403
    decided = await api.post(decide, Role.APPROVER, {"approve": True}, expect=200)
    assert (decided.json()["state"], decided.json()["decided_by"]) == ("posted", "approver")
    shown = await api.get(f"/invoices/{issued.id}", Role.FINANCE)
    assert (shown["status"], shown["written_off"]) == ("written_off", "1100.00")
    again = await api.post(decide, Role.APPROVER, {"approve": False})
    assert again.status_code == 409
    await api.aclose()
