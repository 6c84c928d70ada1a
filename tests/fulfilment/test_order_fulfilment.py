"""Fulfilment on the time-skipping server, the database and the SMTP catcher: partial
shipments with a backorder served by a later receipt, one invoice per shipment, the late
shipment alert, reservations released when not shipped in time, and the credit re-check."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from email import message_from_bytes

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.fulfilment.shipments import dispatch_shipment, order_shipments, shipment_lines
from activities.fulfilment.stock import receive_stock
from activities.sales.orders import timeline
from models.errors import Conflict
from models.fulfilment.messages import ShipmentRelease
from models.fulfilment.policy import FulfilmentPolicy
from models.fulfilment.shipments import DispatchRequest, Shipment, ShipmentStatus
from models.fulfilment.stock import StockReceipt
from models.receivables.invoices import Invoice
from models.sales.messages import Decision
from models.sales.orders import OrderPublic
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.fulfilment.support import level, relay, rep, status
from tests.helpers import eventually
from workflows.fulfilment.shipment import ShipmentWorkflow
from workflows.sales.order import OrderWorkflow


class Story:
    """One order's workflow, started the way the API starts it (through the outbox)."""

    def __init__(self, env: WorkflowEnvironment, engine: Engine, worker: Worker) -> None:
        self.env, self.engine, self.worker = env, engine, worker

    async def relay(self) -> None:
        await relay(self.env.client, self.engine, self.worker.task_queue)

    async def start(self, order: OrderPublic) -> WorkflowHandle:
        await self.relay()
        handle = self.env.client.get_workflow_handle(f"order-{order.id}")
        await eventually(self.status(order.id), lambda s: s == "pending_approval")
        await handle.execute_update(
            OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
        )
        return handle

    def status(self, order_id: int):  # type: ignore[no-untyped-def]
        async def probe() -> str:
            return status(self.engine, order_id)

        return probe

    def shipments(self, order_id: int):  # type: ignore[no-untyped-def]
        async def probe() -> list[Shipment]:
            with Session(self.engine) as session:
                return order_shipments(session, order_id)

        return probe

    def invoices(self, order_id: int):  # type: ignore[no-untyped-def]
        async def probe() -> list[Invoice]:
            with Session(self.engine) as session:
                query = select(Invoice).where(Invoice.order_id == order_id)
                return list(session.exec(query.order_by(col(Invoice.id))).all())

        return probe

    async def dispatch(self, shipment_id: int, eta: date | None = None) -> None:
        now = datetime.now(UTC)
        request = DispatchRequest(
            carrier="DHL", tracking_number=f"JD{shipment_id}", eta=eta or now.date()
        )
        with Session(self.engine) as session, session.begin():
            dispatch_shipment(session, shipment_id, request, "warehouse", now)
        await self.relay()

    async def receive(self, quantity: int) -> None:
        receipt = StockReceipt(sku="WIDGET", quantity=Decimal(quantity))
        with Session(self.engine) as session, session.begin():
            receive_stock(session, receipt, "warehouse")
        await self.relay()

    def lines(self, shipment: Shipment) -> Decimal:
        with Session(self.engine) as session:
            return sum((x.quantity for x in shipment_lines(session, shipment.id or 0)), Decimal(0))


@pytest.fixture
def story(time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine, worker: Worker) -> Story:
    return Story(time_skipping_env, sqlite_engine, worker)


async def test_partial_shipment_ships_what_is_there_and_a_receipt_serves_the_backorder(
    story: Story, sqlite_engine: Engine
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=3)
    order = factories.order(sqlite_engine, customer.id, quantity=5)
    await story.start(order)

    [first] = await eventually(story.shipments(order.id), lambda s: len(s) == 1)
    assert story.lines(first) == 3  # what is there now; 2 are backordered
    assert (level(sqlite_engine).on_hand, level(sqlite_engine).reserved) == (3, 3)
    await eventually(story.status(order.id), lambda s: s == "awaiting_shipment")

    await story.dispatch(first.id or 0)
    [invoice] = await eventually(story.invoices(order.id), lambda i: len(i) == 1)
    assert invoice.subtotal == Decimal("30.00")  # 3 x 10.00, the first shipment only
    await eventually(story.status(order.id), lambda s: s == "partially_shipped")

    await story.receive(2)  # the receipt serves the backorder at once
    shipments = await eventually(story.shipments(order.id), lambda s: len(s) == 2)
    assert story.lines(shipments[1]) == 2
    await story.dispatch(shipments[1].id or 0)

    invoices = await eventually(story.invoices(order.id), lambda i: len(i) == 2)
    assert [i.subtotal for i in invoices] == [Decimal("30.00"), Decimal("20.00")]
    await eventually(story.status(order.id), lambda s: s == "invoiced")
    assert (level(sqlite_engine).on_hand, level(sqlite_engine).reserved) == (0, 0)
    with Session(sqlite_engine) as session:
        statuses = [e.status for e in timeline(session, order.id) if e.status]
    for expected in ("awaiting_shipment", "partially_shipped", "invoiced", "shipped"):
        assert expected in statuses


async def test_ship_complete_order_waits_until_every_line_can_go_in_one_shipment(
    story: Story, sqlite_engine: Engine
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=3)
    order = factories.order(
        sqlite_engine, customer.id, quantity=5, policy=FulfilmentPolicy.SHIP_COMPLETE
    )
    await story.start(order)
    await eventually(story.status(order.id), lambda s: s == "backordered")
    assert await story.shipments(order.id)() == []
    assert level(sqlite_engine).reserved == 3  # it keeps its place in the queue

    await story.receive(2)
    [only] = await eventually(story.shipments(order.id), lambda s: len(s) == 1)
    assert story.lines(only) == 5
    await eventually(story.status(order.id), lambda s: s == "awaiting_shipment")


async def test_cancelling_a_backordered_order_gives_its_reserved_stock_back(
    story: Story, sqlite_engine: Engine
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=3)
    order = factories.order(
        sqlite_engine, customer.id, quantity=5, policy=FulfilmentPolicy.SHIP_COMPLETE
    )
    handle = await story.start(order)
    await eventually(story.status(order.id), lambda s: s == "backordered")
    assert level(sqlite_engine).reserved == 3
    await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="no longer"))
    await handle.result()
    assert status(sqlite_engine, order.id) == "cancelled"
    assert (level(sqlite_engine).on_hand, level(sqlite_engine).reserved) == (3, 0)


async def test_late_shipment_alerts_the_rep_and_ops_once(
    story: Story, sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    rep(sqlite_engine, "rep@o2c.example")
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=5)
    order = factories.order(sqlite_engine, customer.id, quantity=2)
    await story.start(order)
    [shipment] = await eventually(story.shipments(order.id), lambda s: len(s) == 1)
    now = await story.env.get_current_time()
    eta = now.date() + timedelta(days=2)
    end_of_eta_day = datetime.combine(eta + timedelta(days=1), time.min, tzinfo=UTC)
    await story.dispatch(shipment.id or 0, eta=eta)
    await eventually(story.status(order.id), lambda s: s == "invoiced")
    invoice_mails = len(mail_catcher.messages())

    async def late_mails() -> list[str]:
        found = [message_from_bytes(m) for m in mail_catcher.messages()[invoice_mails:]]
        return sorted(m["To"] for m in found if "Late shipment" in m["Subject"])

    both = ["ops@o2c.example", "rep@o2c.example"]
    await story.env.sleep(end_of_eta_day - now - timedelta(hours=1))
    assert await late_mails() == []  # the ETA day has not ended yet
    await story.env.sleep(timedelta(hours=2))
    await eventually(late_mails, lambda m: m == both)
    await story.env.sleep(timedelta(days=5))
    assert await late_mails() == both  # once, not every day
    with Session(sqlite_engine) as session:
        kinds = [e.kind for e in timeline(session, order.id)]
    assert kinds.count("shipment_late") == 1


async def test_reservation_not_shipped_in_time_is_released_and_the_rep_told(
    story: Story, sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    rep(sqlite_engine, "rep@o2c.example")
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=5)
    order = factories.order(sqlite_engine, customer.id, quantity=2)
    await story.start(order)
    [shipment] = await eventually(story.shipments(order.id), lambda s: len(s) == 1)
    assert level(sqlite_engine).reserved == 2

    await story.env.sleep(timedelta(days=6))
    assert level(sqlite_engine).reserved == 2  # within the 7 days it stays reserved
    await story.env.sleep(timedelta(days=1, hours=1))
    await eventually(story.status(order.id), lambda s: s == "backordered")
    assert level(sqlite_engine).reserved == 0
    [cancelled] = await story.shipments(order.id)()
    assert cancelled.status == ShipmentStatus.CANCELLED

    async def released_mails() -> list[str]:
        mails = [message_from_bytes(m) for m in mail_catcher.messages()]
        return [m["To"] for m in mails if "Reservation released" in m["Subject"]]

    await eventually(released_mails, lambda m: m == ["rep@o2c.example"])
    request = DispatchRequest(carrier="DHL", tracking_number="X", eta=date.today())
    with pytest.raises(Conflict), Session(sqlite_engine) as session, session.begin():
        # nothing is left to dispatch from the expired shipment
        dispatch_shipment(session, shipment.id or 0, request, "w", datetime.now(UTC))


async def test_blocked_customer_shipment_waits_for_a_credit_release_before_dispatch(
    story: Story, sqlite_engine: Engine
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=5)
    order = factories.order(sqlite_engine, customer.id, quantity=2)
    await story.relay()
    await eventually(story.status(order.id), lambda s: s == "pending_approval")
    _overdue_invoice(sqlite_engine, customer.id)  # the customer stopped paying meanwhile
    handle = story.env.client.get_workflow_handle(f"order-{order.id}")
    await handle.execute_update(
        OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
    )

    [held] = await eventually(story.shipments(order.id), lambda s: len(s) == 1)
    assert held.status == ShipmentStatus.CREDIT_HOLD
    assert "overdue" in (held.hold_reason or "")
    with pytest.raises(Conflict):
        await story.dispatch(held.id or 0)

    shipment = story.env.client.get_workflow_handle(f"shipment-{held.id}")

    async def held_state() -> str:
        try:
            return str(await shipment.query(ShipmentWorkflow.current_state))
        except RPCError:  # its workflow is still starting
            return "starting"

    await eventually(held_state, lambda s: s == "credit_hold")
    with pytest.raises(WorkflowUpdateFailedError):  # a release needs a comment
        await shipment.execute_update(
            ShipmentWorkflow.release_credit_hold, ShipmentRelease(user="cm", comment=" ")
        )
    await shipment.execute_update(
        ShipmentWorkflow.release_credit_hold, ShipmentRelease(user="cm", comment="paid by wire")
    )
    await story.dispatch(held.id or 0)
    await eventually(story.status(order.id), lambda s: s == "invoiced")


def _overdue_invoice(engine: Engine, customer_id: int) -> None:
    with Session(engine) as session, session.begin():
        session.add(
            Invoice(
                number="INV-OLD-1",
                customer_id=customer_id,
                currency="USD",
                issue_date=date(2026, 1, 1),
                due_date=date(2026, 2, 1),
                total=Decimal("50.00"),
                outstanding=Decimal("50.00"),
                key="old-invoice",
            )
        )


async def test_cancelling_an_order_awaiting_shipment_releases_its_stock_and_shipment(
    story: Story, sqlite_engine: Engine
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=5)
    order = factories.order(sqlite_engine, customer.id, quantity=3)
    handle = await story.start(order)
    [planned] = await eventually(story.shipments(order.id), lambda s: len(s) == 1)
    await eventually(story.status(order.id), lambda s: s == "awaiting_shipment")
    assert level(sqlite_engine).reserved == 3

    await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="changed"))
    assert (await handle.result())["status"] == "cancelled"
    assert (level(sqlite_engine).on_hand, level(sqlite_engine).reserved) == (5, 0)
    [cancelled] = await story.shipments(order.id)()
    assert cancelled.id == planned.id and cancelled.status == ShipmentStatus.CANCELLED


async def test_cancel_after_a_partial_shipment_cancels_the_remainder_only(
    story: Story, sqlite_engine: Engine
) -> None:
    customer = factories.customer(sqlite_engine)
    factories.product(sqlite_engine, stock=3)
    order = factories.order(sqlite_engine, customer.id, quantity=5)
    handle = await story.start(order)
    [first] = await eventually(story.shipments(order.id), lambda s: len(s) == 1)
    await story.dispatch(first.id or 0)
    await eventually(story.invoices(order.id), lambda i: len(i) == 1)
    await eventually(story.status(order.id), lambda s: s == "partially_shipped")

    await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="rest"))
    with pytest.raises(WorkflowUpdateFailedError):  # once is enough
        await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="x"))
    with Session(sqlite_engine) as session:
        kinds = [e.kind for e in timeline(session, order.id)]
    assert "remainder_cancelled" in kinds
    await story.receive(5)  # the cancelled remainder is not served any more
    assert len(await story.shipments(order.id)()) == 1
    assert len(await story.invoices(order.id)()) == 1
    assert status(sqlite_engine, order.id) != "cancelled"  # what shipped is still collected
    assert level(sqlite_engine).reserved == 0
