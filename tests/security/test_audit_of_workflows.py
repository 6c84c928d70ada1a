"""What the worker changes on a person's behalf is recorded as theirs: a write-off decided
through the invoice's collection workflow names the approver, not "system"."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.receivables.write_offs import write_off_invoice
from models.receivables.write_offs import WriteOffCreate
from models.sales.messages import WriteOffDecision
from models.security.audit import AuditEvent
from tests import factories
from tests.support.workflows import Flow
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow


async def test_a_write_off_decided_through_the_workflow_is_recorded_as_the_approvers(
    flow: Flow, sqlite_engine: Engine
) -> None:
    customer = factories.customer(flow.engine)
    issued = factories.invoice(flow.engine, customer.id, "1000.00", issued=await flow.today())
    handle = await flow.start_collection(issued)
    with Session(sqlite_engine) as session, session.begin():
        waiting = write_off_invoice(
            session, issued.id, WriteOffCreate(reason="insolvent"), "finance", date.today(), "wo"
        )
    decision = WriteOffDecision(
        write_off_id=waiting.id,
        invoice_id=issued.id,
        requested_by="finance",
        user="controller",
        roles=["approver"],
    )

    await handle.execute_update(InvoiceCollectionWorkflow.decide_write_off, decision)

    with Session(sqlite_engine) as session:
        decided = session.exec(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "write_off", AuditEvent.action == "updated")
            .order_by(col(AuditEvent.id))
        ).all()
    assert decided and {e.actor for e in decided} == {"controller"}
    after: dict[str, str] = {}
    for event in decided:
        after |= json.loads(event.after or "{}")
    assert (after["state"], after["decided_by"]) == ("posted", "controller")
