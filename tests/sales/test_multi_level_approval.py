"""Multi-level approval on the time-skipping server: who may decide which level, reminders,
escalation and expiry, the approvers' e-mails and inbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from models.sales.messages import Decision
from models.sales.orders import Approval, OrderEvent, OrderPublic
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.database import rows
from tests.support.mail import inbox
from tests.support.orders import events_of, level_waiting, status, status_of
from tests.support.polling import eventually
from tests.support.workflows import Flow
from workflows.sales.order import OrderWorkflow

TWO_LEVELS = (
    {"name": "sales manager", "role": "approver", "when_total_above": "100.00"},
    {"name": "finance director", "role": "finance", "when_total_above": "1000.00"},
)


@pytest.fixture(autouse=True)
def sales_desk_staff(sqlite_engine: Engine) -> None:
    """SALES_DESK's staff with mailboxes; each test sets its own approval policy."""
    factories.staff(sqlite_engine, factories.SALES_DESK)


def decision(user: str, level: int | None = None, comment: str | None = "ok") -> Decision:
    roles = [str(role) for role in factories.SALES_DESK[user]]
    return Decision(user=user, roles=roles, level=level, comment=comment)


async def refused(h, update, d: Decision) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(WorkflowUpdateFailedError) as caught:
        await h.execute_update(update, d)
    cause = caught.value.cause
    assert isinstance(cause, ApplicationError)
    return str(cause.type)


def _written(engine: Engine) -> tuple[int, int]:
    return rows(engine, Approval), rows(engine, OrderEvent)


async def _order(
    flow: Flow, quantity: int, user: str = "rep"
) -> tuple[OrderPublic, WorkflowHandle[Any, Any]]:
    customer = factories.customer(flow.engine, credit_limit="100000.00")
    # No stock: an approved order stops at backordered; these tests are about approval.
    factories.product(flow.engine, price="100.00")
    order = factories.order(flow.engine, customer.id, quantity=quantity, user=user)
    await flow.relay()
    return order, flow.order_workflow(order.id)


async def test_large_order_needs_both_levels_each_decided_by_its_role_and_a_different_person(
    flow: Flow, sqlite_engine: Engine
) -> None:
    factories.approval_policy(sqlite_engine, *TWO_LEVELS)
    order, h = await _order(flow, quantity=20, user="boss")  # 2200.00
    order_status = status_of(sqlite_engine, order.id)
    await level_waiting(sqlite_engine, order.id, 1)
    before = _written(sqlite_engine)

    assert await refused(h, OrderWorkflow.approve, decision("boss")) == "Forbidden"  # own order
    assert await refused(h, OrderWorkflow.approve, decision("fin")) == "Forbidden"  # wrong role
    assert await refused(h, OrderWorkflow.approve, decision("ann", level=2)) == "Conflict"
    assert await refused(h, OrderWorkflow.reject, decision("ann", comment=None)) == "InvalidInput"
    assert _written(sqlite_engine) == before  # a refused decision writes nothing

    await h.execute_update(OrderWorkflow.approve, decision("multi", level=1))
    assert await order_status() == "pending_approval"  # level 2 still waits
    await level_waiting(sqlite_engine, order.id, 2)  # asked for: it opens just after level 1
    assert await refused(h, OrderWorkflow.approve, decision("multi")) == "Forbidden"  # 2 levels
    assert await refused(h, OrderWorkflow.approve, decision("ann")) == "Forbidden"  # L2 is finance
    await h.execute_update(OrderWorkflow.approve, decision("fin", level=2))
    await eventually(order_status, lambda s: s == "backordered")
    assert await refused(h, OrderWorkflow.approve, decision("fin")) == "Conflict"  # decided

    kinds = [(kind, actor) for kind, actor, _ in events_of(sqlite_engine, order.id)]
    assert ("level_approved", "multi") in kinds and ("approved", "fin") in kinds
    with Session(sqlite_engine) as session:
        rows = session.exec(select(Approval).order_by(Approval.level)).all()
    assert [(a.level, a.role, a.decided_by) for a in rows] == [
        (1, "approver", "multi"),
        (2, "finance", "fin"),
    ]


async def test_order_below_every_rule_is_approved_without_anyone(
    flow: Flow, sqlite_engine: Engine
) -> None:
    factories.approval_policy(sqlite_engine, TWO_LEVELS[1])  # only orders above 1000 need anyone
    order, _ = await _order(flow, quantity=1)  # 110.00
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "backordered")
    approved = [e for e in events_of(sqlite_engine, order.id) if e[0] == "approved"]
    assert approved == [("approved", "system", "no level of the approval policy applies")]


async def test_a_rejection_at_the_first_level_rejects_the_order(
    flow: Flow, sqlite_engine: Engine
) -> None:
    factories.approval_policy(sqlite_engine, *TWO_LEVELS)
    order, h = await _order(flow, quantity=20)
    await h.execute_update(OrderWorkflow.reject, decision("ann", comment="too big"))
    assert (await h.result()).status == "rejected"
    assert ("rejected", "ann", "too big") in events_of(sqlite_engine, order.id)


async def test_approver_is_mailed_reminded_then_the_level_escalates_to_finance(
    flow: Flow, sqlite_engine: Engine, mail_catcher: MailCatcher, live_api: ApiClient
) -> None:
    factories.approval_policy(
        sqlite_engine,
        {
            "name": "sales manager",
            "role": "approver",
            "remind_after": "P1D",
            "escalate_after": "P2D",
            "escalate_to": "finance",
            "expire_after": "P5D",
        },
    )
    order, h = await _order(flow, quantity=1)
    mailbox = inbox(mail_catcher)
    waiting = await eventually(mailbox, lambda m: len(m) >= 3)
    assert sorted(to for to, _ in waiting) == [
        "ann@o2c.example",
        "boss@o2c.example",
        "multi@o2c.example",
    ]
    assert all("waits for your approval" in subject for _, subject in waiting)
    assert await refused(h, OrderWorkflow.approve, decision("fin")) == "Forbidden"
    assert (await live_api.get("/approvals?status=pending", "fin"))["total"] == 0

    await flow.env.sleep(timedelta(hours=23))
    assert len(await mailbox()) == 3  # no reminder before remind_after
    await flow.env.sleep(timedelta(hours=1, minutes=1))
    reminded = await eventually(mailbox, lambda m: len(m) >= 6)
    assert {s for _, s in reminded[3:]} == {
        f"Reminder: order {order.number} waits for your approval (sales manager)"
    }

    await flow.env.sleep(timedelta(days=1))
    escalated = await eventually(mailbox, lambda m: len(m) >= 8)
    assert sorted(to for to, _ in escalated[6:]) == ["fin@o2c.example", "multi@o2c.example"]
    assert all(s.startswith("Escalated:") for _, s in escalated[6:])
    fin_inbox = await live_api.get("/approvals?status=pending", "fin")
    assert [(t["order_number"], t["escalated_to"]) for t in fin_inbox["items"]] == [
        (order.number, "finance")
    ]
    await h.execute_update(OrderWorkflow.approve, decision("fin"))
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "backordered")
    kinds = [kind for kind, _, _ in events_of(sqlite_engine, order.id)]
    assert kinds.index("approval_reminder") < kinds.index("approval_escalated")


async def test_an_undecided_level_expires_rejects_the_order_and_tells_the_rep(
    flow: Flow, sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    factories.approval_policy(
        sqlite_engine, {"name": "manager", "role": "approver", "expire_after": "P3D"}
    )
    order, h = await _order(flow, quantity=1)
    await eventually(inbox(mail_catcher), lambda m: len(m) >= 3)
    await flow.env.sleep(timedelta(days=2, hours=23))
    assert status(sqlite_engine, order.id) == "pending_approval"
    await flow.env.sleep(timedelta(hours=1, minutes=1))
    assert (await h.result()).status == "rejected"
    assert status(sqlite_engine, order.id) == "rejected"
    assert ("approval_expired", "system", "approval level 1 was not decided in time") in events_of(
        sqlite_engine, order.id
    )
    to_rep = [(to, s) for to, s in await inbox(mail_catcher)() if to == "rep@o2c.example"]
    assert to_rep == [("rep@o2c.example", f"Order {order.number} for ACME Ltd was stopped")]


async def test_inbox_lists_what_the_caller_may_decide_now(
    flow: Flow, sqlite_engine: Engine, live_api: ApiClient
) -> None:
    factories.approval_policy(sqlite_engine, *TWO_LEVELS)
    order, h = await _order(flow, quantity=20, user="boss")

    async def pending(user: str) -> list[tuple[str, int]]:
        page = await live_api.get("/approvals?status=pending", user)
        return [(t["order_number"], t["level"]) for t in page["items"]]

    await eventually(lambda: pending("ann"), lambda items: items == [(order.number, 1)])
    assert await pending("boss") == []  # their own order
    assert await pending("rep") == [] and await pending("fin") == []
    await h.execute_update(OrderWorkflow.approve, decision("multi"))
    await eventually(lambda: pending("fin"), lambda items: items == [(order.number, 2)])
    assert await pending("multi") == []  # already decided level 1 of this order
    assert await pending("ann") == []
    done = await live_api.get("/approvals?status=approved", "ann")
    assert [(t["order_number"], t["level"]) for t in done["items"]] == [(order.number, 1)]
    # The approve endpoint answers the validator's verdict as HTTP.
    wrong = await live_api.post(f"/orders/{order.id}/approve", "ann", {"comment": "x"})
    assert wrong.status_code == 403
    ok = await live_api.post(f"/orders/{order.id}/approve", "fin", {"level": 2}, expect=200)
    assert [a["level"] for a in ok.json()["approvals"]] == [1, 2]
