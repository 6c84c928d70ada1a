"""The credit gate on the time-skipping server: holds with their reasons, a manager's release
with its comment, blocked orders, release by payment (oldest first), and the hold that expires."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import WorkflowUpdateFailedError

from activities.sales.credit import customer_credit, holds_of
from models.sales.messages import ReleaseInput
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.factories import ORDER_DAY
from tests.support.api_client import ApiClient
from tests.support.mail import inbox
from tests.support.orders import events_of, status, status_of
from tests.support.polling import eventually
from tests.support.workflows import Flow
from workflows.sales.order import OrderWorkflow

pytestmark = pytest.mark.usefixtures("sales_desk")


async def test_a_manager_releases_a_hold_with_a_comment_that_is_kept(
    flow: Flow, sqlite_engine: Engine
) -> None:
    customer = factories.customer(sqlite_engine, credit_limit="50.00")
    order = factories.order(sqlite_engine, customer.id, quantity=5, user="rep")  # 55.00
    await flow.relay()
    h = flow.order_workflow(order.id)
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
    assert status(sqlite_engine, order.id) == "pending_approval"
    with Session(sqlite_engine) as session:
        [hold] = holds_of(session, order.id)
    assert (hold.outcome, hold.released_by, hold.comment) == ("released", "cm", "deposit received")
    assert ("credit_released", "cm", "deposit received") in events_of(sqlite_engine, order.id)


async def test_overdue_beyond_the_class_policy_blocks_and_only_a_payment_releases(
    flow: Flow, sqlite_engine: Engine
) -> None:
    factories.credit_policy(sqlite_engine, overdue_days_allowed=30)
    customer = factories.customer(sqlite_engine, credit_limit="1000.00")
    overdue = ORDER_DAY - timedelta(days=20)
    factories.invoice(sqlite_engine, customer.id, "100.00", tax_rate="0", due=overdue)
    within = factories.order(sqlite_engine, customer.id, user="rep")
    assert within.status == "pending_approval"  # 20 days overdue is within the class's 30

    overdue = ORDER_DAY - timedelta(days=31)
    factories.invoice(sqlite_engine, customer.id, "40.00", tax_rate="0", due=overdue)
    blocked = factories.order(sqlite_engine, customer.id, user="rep")
    await flow.relay()
    assert blocked.status == "credit_hold"
    with Session(sqlite_engine) as session:
        assert holds_of(session, blocked.id)[0].kind == "blocked"
        assert customer_credit(session, customer.id, ORDER_DAY).status == "blocked"
    h = flow.order_workflow(blocked.id)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await h.execute_update(
            OrderWorkflow.release_credit_hold, ReleaseInput(user="cm", comment="trust them")
        )
    assert "only a payment releases it" in str(refused.value.cause)

    factories.payment(
        sqlite_engine, customer.id, "140.00", received_on=ORDER_DAY, reference="BANK-7"
    )  # oldest first: both overdue invoices settled
    await flow.relay()  # delivers the signal
    await eventually(status_of(sqlite_engine, blocked.id), lambda s: s == "pending_approval")
    assert await h.query(OrderWorkflow.current_status) == "pending_approval"
    assert ("credit_released", "system", "payment BANK-7") in events_of(sqlite_engine, blocked.id)


async def test_a_payment_releases_held_orders_that_now_fit_oldest_first(
    flow: Flow, sqlite_engine: Engine
) -> None:
    customer = factories.customer(sqlite_engine, credit_limit="100.00")
    not_due = ORDER_DAY + timedelta(days=10)
    factories.invoice(sqlite_engine, customer.id, "90.00", tax_rate="0", due=not_due)
    first = factories.order(sqlite_engine, customer.id, quantity=5, user="rep")  # 55.00
    second = factories.order(sqlite_engine, customer.id, quantity=5, user="rep")  # 55.00
    third = factories.order(sqlite_engine, customer.id, quantity=3, user="rep")  # 33.00
    await flow.relay()
    assert {first.status, second.status, third.status} == {"credit_hold"}

    factories.payment(sqlite_engine, customer.id, "90.00", received_on=ORDER_DAY)
    await flow.relay()
    # 55 fits; 55 + 55 does not; 55 + 33 does: the second waits, the oldest went first.
    for order, expected in ((first, "pending_approval"), (third, "pending_approval")):
        await eventually(status_of(sqlite_engine, order.id), lambda s, e=expected: s == e)
    assert status(sqlite_engine, second.id) == "credit_hold"
    assert await flow.order_workflow(second.id).query(OrderWorkflow.current_status) == "credit_hold"
    with Session(sqlite_engine) as session:
        credit = customer_credit(session, customer.id, ORDER_DAY)
    assert (credit.open_receivables, credit.open_orders) == (Decimal("0.00"), Decimal("88.00"))


async def test_a_hold_not_released_within_the_policy_days_cancels_and_tells_the_rep(
    flow: Flow, sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    factories.credit_policy(sqlite_engine, hold_days=3)
    customer = factories.customer(sqlite_engine, credit_limit="1.00")
    order = factories.order(sqlite_engine, customer.id, user="rep")
    await flow.relay()
    await flow.env.sleep(timedelta(days=2, hours=23))
    assert status(sqlite_engine, order.id) == "credit_hold"
    await flow.env.sleep(timedelta(hours=1, minutes=1))
    assert (await flow.order_workflow(order.id).result()).status == "cancelled"
    assert status(sqlite_engine, order.id) == "cancelled"
    assert ("credit_hold_expired", "system", "credit hold not released within 3 days") in events_of(
        sqlite_engine, order.id
    )
    with Session(sqlite_engine) as session:
        assert holds_of(session, order.id)[0].outcome == "cancelled"
    sent = await eventually(inbox(mail_catcher), lambda m: len(m) >= 1)
    assert sent == [("rep@o2c.example", f"Order {order.number} for ACME Ltd was stopped")]


async def test_release_through_the_api_needs_a_credit_manager_and_a_comment(
    flow: Flow, sqlite_engine: Engine, live_api: ApiClient
) -> None:
    customer = factories.customer(sqlite_engine, credit_limit="10.00")
    order = factories.order(sqlite_engine, customer.id, user="rep")
    await flow.relay()
    path = f"/orders/{order.id}/release-credit-hold"
    assert (await live_api.post(path, "ann", {"comment": "fine"})).status_code == 403
    assert (await live_api.post(path, "cm", {"comment": ""})).status_code == 422
    released = await live_api.post(path, "cm", {"comment": "director agreed"}, expect=200)
    assert released.json()["status"] == "pending_approval"
    assert released.json()["credit_holds"][0]["comment"] == "director agreed"
    again = await live_api.post(path, "cm", {"comment": "twice"})
    assert again.status_code == 409
    credit = await live_api.get(f"/customers/{customer.id}/credit", "cm")
    assert (credit["status"], credit["open_orders"]) == ("hold", "11.00")
