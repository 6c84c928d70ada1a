"""Orders taken from entry to closed while the worker is killed right after approvals are
written and again mid-invoice (mail under way), and the Temporal server is killed and
restarted: every order closes, nothing is done twice, the ledger balances, the outbox is
drained and no workflow failed."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.receivables.ledger import trial_balance
from models.outbox import OutboxMessage, OutboxState
from models.receivables.invoices import Invoice
from models.receivables.payments import Payment
from o2c.mailcatcher import MailCatcher
from o2c.temporal import connect
from tests import factories
from tests.chaos.lifecycle import Desk, dispatch_body, each, order_body, payment_body
from tests.chaos.stack import Stack
from tests.support.mail import received
from tests.support.orders import status
from tests.support.polling import eventually, reading

ORDERS = 6


def first_written(engine: Engine, orders: list[int], state: str) -> bool:
    return any(status(engine, order_id) == state for order_id in orders)


def invoices_issued(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(Invoice.id)).all())


async def test_every_order_closes_once_through_killed_workers_and_a_killed_temporal(
    chaos: tuple[Stack, Engine], mail_catcher: MailCatcher
) -> None:
    stack, engine = chaos
    factories.approval_policy(engine, {"name": "manager", "role": "approver"})
    factories.product(engine, price="10.00", stock=100)
    buyer = factories.customer(engine)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=120) as http:
        desk = Desk(stack, http)
        entered = [
            (await desk.send("sales", "/orders", order_body(buyer.id), f"order-{n}")).json()["id"]
            for n in range(ORDERS)
        ]
        await each(entered, lambda o: desk.order_reaches(o, "pending_approval"))

        # The worker dies right after the first approval is written, before Temporal records it.
        approving = asyncio.gather(
            *(desk.send("approver", f"/orders/{o}/approve", {}, f"approve-{o}") for o in entered)
        )
        await eventually(reading(first_written, engine, entered, "approved"), bool, 60)
        stack.worker.kill()
        stack.worker.start()
        assert all(a.status_code == 200 for a in await approving), stack.logs()
        waiting = await each(entered, lambda o: desk.order_reaches(o, "awaiting_shipment"))

        # Dispatch; the worker dies mid-invoice (the first invoice issued, its mail under way),
        # then the Temporal server dies and comes back with its state.
        for order in waiting:
            shipment = order["shipments"][0]["id"]
            path = f"/shipments/{shipment}/dispatch"
            assert (await desk.send("warehouse", path, dispatch_body(), path)).is_success
        await eventually(reading(invoices_issued, engine), lambda count: count > 0, 120)
        stack.worker.kill()
        stack.temporal.kill()
        stack.temporal.start()
        stack.wait_for_temporal()
        stack.worker.start()
        invoiced = await each(entered, lambda o: desk.order_reaches(o, "invoiced"))

        for order in invoiced:
            invoice = order["invoices"][0]
            body = payment_body(buyer.id, invoice)
            assert (await desk.send("finance", "/payments", body, invoice["number"])).is_success
        for order in invoiced:
            path = f"/shipments/{order['shipments'][0]['id']}/deliver"
            assert (await desk.send("warehouse", path, {}, path)).is_success
        await each(entered, lambda o: desk.order_reaches(o, "closed"))

    await _nothing_twice_and_nothing_left(stack, engine, mail_catcher)


async def _nothing_twice_and_nothing_left(
    stack: Stack, engine: Engine, mail_catcher: MailCatcher
) -> None:
    with Session(engine) as session:
        invoices = session.exec(select(Invoice)).all()
        payments = session.exec(select(Payment)).all()
        balanced = trial_balance(session, date.today()).balanced
    assert sorted(i.order_id or 0 for i in invoices) == sorted(range(1, ORDERS + 1))
    assert len(payments) == ORDERS and all(i.status == "paid" for i in invoices)
    assert balanced

    def mailed() -> Counter[str]:
        return Counter(
            n
            for m in received(mail_catcher)
            for n in [i.number for i in invoices]
            if n in str(m["Subject"])
        )

    # The invoice mail is sent beside the order (MailDeliveryWorkflow): it may still be on its
    # way when the order closes.
    everyone = await eventually(reading(mailed), lambda m: len(m) == len(invoices), 300)
    assert everyone == Counter({i.number: 1 for i in invoices}), everyone

    async def drained() -> list[OutboxMessage]:
        with Session(engine) as session:
            pending = col(OutboxMessage.state) == OutboxState.PENDING
            return list(session.exec(select(OutboxMessage).where(pending)).all())

    await eventually(drained, lambda rows: not rows, 60)
    client = await connect(stack.settings)
    failed = [w.id async for w in client.list_workflows('ExecutionStatus = "Failed"')]
    assert failed == [], stack.logs()
