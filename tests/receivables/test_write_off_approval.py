"""A write-off above the approval amount is decided by a finance approver through an Update on
the invoice's collection workflow; the wrong people are refused before anything is written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from activities.receivables.write_offs import write_off_invoice
from models.receivables.invoices import InvoicePublic
from models.receivables.write_offs import WriteOffCreate
from models.sales.messages import WriteOffDecision
from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.receivables import current
from tests.support.workflows import Flow
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow


async def _large_invoice_in_collection(flow: Flow) -> tuple[InvoicePublic, WorkflowHandle]:
    """1100.00 owed by ACME, issued today, its collection running."""
    customer = factories.customer(flow.engine)
    issued = factories.invoice(flow.engine, customer.id, "1000.00", issued=await flow.today())
    return issued, await flow.start_collection(issued)


async def test_large_write_off_is_posted_when_a_finance_approver_accepts_it(
    flow: Flow, sqlite_engine: Engine
) -> None:
    issued, handle = await _large_invoice_in_collection(flow)
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
    flow: Flow, sqlite_engine: Engine, live_api: ApiClient
) -> None:
    factories.user(sqlite_engine, "finance", [Role.FINANCE])
    factories.user(sqlite_engine, "approver", [Role.APPROVER])
    issued, _ = await _large_invoice_in_collection(flow)
    waiting = await live_api.post(
        f"/invoices/{issued.id}/write-off", Role.FINANCE, {"reason": "insolvent"}, expect=202
    )
    decide = f"/invoices/{issued.id}/write-offs/{waiting.json()['id']}/decision"
    assert (await live_api.post(decide, Role.FINANCE, {"approve": True})).status_code == 403
    decided = await live_api.post(decide, Role.APPROVER, {"approve": True}, expect=200)
    assert (decided.json()["state"], decided.json()["decided_by"]) == ("posted", "approver")
    shown = await live_api.get(f"/invoices/{issued.id}", Role.FINANCE)
    assert (shown["status"], shown["written_off"]) == ("written_off", "1100.00")
    again = await live_api.post(decide, Role.APPROVER, {"approve": False})
    assert again.status_code == 409
