"""The approver inbox on a running order workflow: what waits for me, approved in one click
through the workflow's Update, gone from the inbox; a decision someone else already took shows
a clear message."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.sales.approvals import ApprovalTask
from models.sales.orders import OrderPublic
from o2c.settings import Settings
from tests import factories
from tests.support.orders import events_of, status
from tests.support.polling import eventually, reading
from tests.support.workflows import Flow
from tests.workspace.pages import Person


@pytest.fixture
async def waiting_order(flow: Flow, sqlite_engine: Engine) -> OrderPublic:
    """ACME's order of 3 widgets (33.00 with tax) entered by rep, waiting for an approver."""
    factories.staff(sqlite_engine, factories.SALES_DESK)
    factories.approval_policy(sqlite_engine, {"name": "manager", "role": "approver"})
    factories.product(sqlite_engine, price="10.00")
    customer = factories.customer(sqlite_engine)
    order = factories.order(sqlite_engine, customer.id, quantity=3, user="rep")
    await flow.pending_order(order.id)
    # The order waits for approval from its entry; its inbox row comes when the workflow has
    # notified the approvers (a page asked sooner rightly shows nothing yet).
    await eventually(reading(approval_tasks, sqlite_engine, order.id), lambda n: n == 1)
    return order


def approval_tasks(engine: Engine, order_id: int) -> int:
    with Session(engine) as session:
        found = session.exec(select(ApprovalTask).where(ApprovalTask.order_id == order_id))
        return len(found.all())


@pytest.fixture
async def approvers(
    flow: Flow, sqlite_engine: Engine, live_settings: Settings
) -> AsyncIterator[tuple[Person, Person]]:
    """ann and boss, both approvers, each at a browser on the API wired to the workflows."""
    ann = Person(sqlite_engine, live_settings, flow.env.client)
    boss = Person(sqlite_engine, live_settings, flow.env.client)
    await ann.log_in("ann")
    await boss.log_in("boss")
    yield ann, boss
    await ann.aclose()
    await boss.aclose()


async def test_an_approver_approves_from_the_inbox_and_the_order_leaves_it(
    waiting_order: OrderPublic, approvers: tuple[Person, Person], sqlite_engine: Engine
) -> None:
    ann, _ = approvers
    inbox = await ann.open("/app/inbox")
    assert inbox.status_code == 200
    assert waiting_order.number in inbox.text and "ACME Ltd" in inbox.text
    assert "WIDGET" in inbox.text and "33.00 USD" in inbox.text

    answer = await ann.submit(
        inbox, f"/app/inbox/{waiting_order.id}/decision", verdict="approve", comment="fine"
    )
    assert answer.status_code == 200 and answer.text == ""  # htmx swaps the row out
    assert status(sqlite_engine, waiting_order.id) != "pending_approval"
    assert waiting_order.number not in (await ann.open("/app/inbox")).text


async def test_a_decision_someone_took_a_moment_earlier_shows_a_clear_message(
    waiting_order: OrderPublic, approvers: tuple[Person, Person]
) -> None:
    ann, boss = approvers
    seen_by_boss = await boss.open("/app/inbox")
    await ann.submit(
        await ann.open("/app/inbox"), f"/app/inbox/{waiting_order.id}/decision", verdict="approve"
    )
    late = await boss.submit(
        seen_by_boss, f"/app/inbox/{waiting_order.id}/decision", verdict="reject", comment="no"
    )
    assert late.status_code == 200
    assert "Your decision was not taken:" in late.text and "Traceback" not in late.text
    assert "Reload the inbox" in late.text


async def test_a_rejection_needs_a_comment(
    waiting_order: OrderPublic, approvers: tuple[Person, Person], sqlite_engine: Engine
) -> None:
    ann, _ = approvers
    inbox = await ann.open("/app/inbox")
    answer = await ann.submit(inbox, f"/app/inbox/{waiting_order.id}/decision", verdict="reject")
    assert "Your decision was not taken:" in answer.text
    assert status(sqlite_engine, waiting_order.id) == "pending_approval"


async def test_a_double_click_on_approve_decides_once(
    waiting_order: OrderPublic, approvers: tuple[Person, Person], sqlite_engine: Engine
) -> None:
    ann, _ = approvers
    inbox = await ann.open("/app/inbox")
    key = re.search(r'"Idempotency-Key": "([0-9a-f]+)"', inbox.text)
    assert key, "the decision form carries its own Idempotency-Key"
    action = f"/app/inbox/{waiting_order.id}/decision"
    first = await ann.submit(inbox, action, key=key.group(1), verdict="approve", comment="ok")
    second = await ann.submit(inbox, action, key=key.group(1), verdict="approve", comment="ok")
    assert first.text == second.text == ""  # both clicks see the row leave; none a refusal
    assert second.headers["Idempotent-Replay"] == "true"
    approvals = [e for e in events_of(sqlite_engine, waiting_order.id) if e[0] == "approved"]
    assert len(approvals) == 1, events_of(sqlite_engine, waiting_order.id)
