"""The credit gate on the time-skipping server: holds with their reasons, a manager's release
with its comment, blocked orders, release by payment (oldest first), and the hold that expires."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.receivables.payments import record_payment
from activities.sales.credit import customer_credit, holds_of
from activities.sales.credit_policies import put_policy
from models.receivables.invoices import Invoice
from models.receivables.payments import PaymentCreate
from models.sales.credit_policy import CreditClassPolicyBase
from models.sales.messages import ReleaseInput
from o2c.mailcatcher import MailCatcher
from o2c.settings import Settings
from tests import factories
from tests.helpers import api_client, eventually
from tests.workflows.order_helpers import (
    add_staff,
    end_orders,
    events_of,
    handle,
    mails,
    set_policy,
    start_orders,
    status_of,
)
from workflows.sales.order import OrderWorkflow

ORDER_DAY = date(2026, 11, 27)


@pytest.fixture
async def env(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> AsyncIterator[WorkflowEnvironment]:
    add_staff(sqlite_engine)
    set_policy(sqlite_engine, {"name": "manager", "role": "approver"})
    factories.product(sqlite_engine, price="10.00")  # 11.00 a unit with tax; no stock
    yield time_skipping_env
    await end_orders(time_skipping_env.client, sqlite_engine)


def _invoice(engine: Engine, customer_id: int, amount: str, due: date, n: int = 1) -> None:
    with Session(engine) as session, session.begin():
        session.add(
            Invoice(
                number=f"INV-2026-{n:06d}",
                customer_id=customer_id,
                currency="USD",
                issue_date=due - timedelta(days=30),
                due_date=due,
                total=Decimal(amount),
                outstanding=Decimal(amount),
                key=f"test-invoice-{n}",
            )
        )


def _pay(engine: Engine, customer_id: int, amount: str) -> None:
    with Session(engine) as session, session.begin():
        record_payment(
            session,
            PaymentCreate(
                customer_id=customer_id,
                amount=Decimal(amount),
                received_on=ORDER_DAY,
                reference="BANK-7",
            ),
            "finance",
        )


async def test_a_manager_releases_a_hold_with_a_comment_that_is_kept(
    env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine, credit_limit="50.00")
    order = factories.order(sqlite_engine, customer.id, quantity=5, user="rep")  # 55.00
    await start_orders(env.client, sqlite_engine, worker.task_queue)
    h = handle(env.client, order.id)
    assert order.status == "credit_hold"
    with Session(sqlite_engine) as session:
        [hold] = holds_of(session, order.id)
    assert (hold.kind, hold.outcome) == ("hold", "open")
    assert "would exceed the credit limit 50.00" in hold.reasons

    with pytest.raises(WorkflowUpdateFailedError):
        await h.execute_update(
            OrderWorkflow.release_credit_hold, ReleaseInput(user="cm", comment=" ")
        )
    assert [k for k, _, _ in events_of(sqlite_engine, order.id)] == ["created", "credit_hold"]

    await h.execute_update(
        OrderWorkflow.release_credit_hold, ReleaseInput(user="cm", comment="deposit received")
    )
    assert await status_of(sqlite_engine, order.id)() == "pending_approval"
    with Session(sqlite_engine) as session:
        [hold] = holds_of(session, order.id)
    assert (hold.outcome, hold.released_by, hold.comment) == ("released", "cm", "deposit received")
    assert ("credit_released", "cm", "deposit received") in events_of(sqlite_engine, order.id)


async def test_overdue_beyond_the_class_policy_blocks_and_only_a_payment_releases(
    env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    with Session(sqlite_engine) as session, session.begin():
        put_policy(session, "standard", CreditClassPolicyBase(overdue_days_allowed=30))
    customer = factories.customer(sqlite_engine, credit_limit="1000.00")
    _invoice(sqlite_engine, customer.id, "100.00", due=ORDER_DAY - timedelta(days=20))
    within = factories.order(sqlite_engine, customer.id, user="rep")
    assert within.status == "pending_approval"  # 20 days overdue is within the class's 30

    _invoice(sqlite_engine, customer.id, "40.00", due=ORDER_DAY - timedelta(days=31), n=2)
    blocked = factories.order(sqlite_engine, customer.id, user="rep")
    await start_orders(env.client, sqlite_engine, worker.task_queue)
    assert blocked.status == "credit_hold"
    with Session(sqlite_engine) as session:
        assert holds_of(session, blocked.id)[0].kind == "blocked"
        assert customer_credit(session, customer.id, ORDER_DAY).status == "blocked"
    h = handle(env.client, blocked.id)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await h.execute_update(
            OrderWorkflow.release_credit_hold, ReleaseInput(user="cm", comment="trust them")
        )
    assert "only a payment releases it" in str(refused.value.cause)

    _pay(sqlite_engine, customer.id, "140.00")  # oldest first: both overdue invoices settled
    await start_orders(env.client, sqlite_engine, worker.task_queue)  # delivers the signal
    await eventually(status_of(sqlite_engine, blocked.id), lambda s: s == "pending_approval")
    assert await h.query(OrderWorkflow.current_status) == "pending_approval"
    assert ("credit_released", "system", "payment BANK-7") in events_of(sqlite_engine, blocked.id)


async def test_a_payment_releases_held_orders_that_now_fit_oldest_first(
    env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker
) -> None:
    customer = factories.customer(sqlite_engine, credit_limit="100.00")
    _invoice(sqlite_engine, customer.id, "90.00", due=ORDER_DAY + timedelta(days=10))
    first = factories.order(sqlite_engine, customer.id, quantity=5, user="rep")  # 55.00
    second = factories.order(sqlite_engine, customer.id, quantity=5, user="rep")  # 55.00
    third = factories.order(sqlite_engine, customer.id, quantity=3, user="rep")  # 33.00
    await start_orders(env.client, sqlite_engine, worker.task_queue)
    assert {first.status, second.status, third.status} == {"credit_hold"}

    _pay(sqlite_engine, customer.id, "90.00")
    await start_orders(env.client, sqlite_engine, worker.task_queue)
    # 55 fits; 55 + 55 does not; 55 + 33 does: the second waits, the oldest went first.
    for order, expected in ((first, "pending_approval"), (third, "pending_approval")):
        await eventually(status_of(sqlite_engine, order.id), lambda s, e=expected: s == e)
    assert await status_of(sqlite_engine, second.id)() == "credit_hold"
    assert await handle(env.client, second.id).query(OrderWorkflow.current_status) == "credit_hold"
    with Session(sqlite_engine) as session:
        credit = customer_credit(session, customer.id, ORDER_DAY)
    assert (credit.open_receivables, credit.open_orders) == (Decimal("0.00"), Decimal("88.00"))


async def test_a_hold_not_released_within_the_policy_days_cancels_and_tells_the_rep(
    env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker, mail_catcher: MailCatcher
) -> None:
    with Session(sqlite_engine) as session, session.begin():
        put_policy(session, "standard", CreditClassPolicyBase(hold_days=3))
    customer = factories.customer(sqlite_engine, credit_limit="1.00")
    order = factories.order(sqlite_engine, customer.id, user="rep")
    await start_orders(env.client, sqlite_engine, worker.task_queue)
    await env.sleep(timedelta(days=2, hours=23))
    assert await status_of(sqlite_engine, order.id)() == "credit_hold"
    await env.sleep(timedelta(hours=1, minutes=1))
    assert (await handle(env.client, order.id).result()).status == "cancelled"
    assert await status_of(sqlite_engine, order.id)() == "cancelled"
    assert ("credit_hold_expired", "system", "credit hold not released within 3 days") in events_of(
        sqlite_engine, order.id
    )
    with Session(sqlite_engine) as session:
        assert holds_of(session, order.id)[0].outcome == "cancelled"
    sent = await eventually(mails(mail_catcher), lambda m: len(m) >= 1)
    assert sent == [("rep@o2c.example", f"Order {order.number} for ACME Ltd was stopped")]


async def test_release_through_the_api_needs_a_credit_manager_and_a_comment(
    env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker, settings: Settings
) -> None:
    api = api_client(sqlite_engine, settings, env.client)
    customer = factories.customer(sqlite_engine, credit_limit="10.00")
    order = factories.order(sqlite_engine, customer.id, user="rep")
    await start_orders(env.client, sqlite_engine, worker.task_queue)
    path = f"/orders/{order.id}/release-credit-hold"
    assert (await api.post(path, "ann", {"comment": "fine"})).status_code == 403
    assert (await api.post(path, "cm", {"comment": ""})).status_code == 422
    released = await api.post(path, "cm", {"comment": "director agreed"}, expect=200)
    assert released.json()["status"] == "pending_approval"
    assert released.json()["credit_holds"][0]["comment"] == "director agreed"
    again = await api.post(path, "cm", {"comment": "twice"})
    assert again.status_code == 409
    credit = await api.get(f"/customers/{customer.id}/credit", "cm")
    assert (credit["status"], credit["open_orders"]) == ("hold", "11.00")
    await api.aclose()
