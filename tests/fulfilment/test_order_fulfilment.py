"""Fulfilment on the time-skipping server, the database and the SMTP catcher: partial
shipments with a backorder served by a later receipt, one invoice per shipment, the late
shipment alert, reservations released when not shipped in time, and the credit re-check."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.service import RPCError

from activities.fulfilment.shipments import dispatch_shipment
from activities.sales.orders import timeline
from models.errors import Conflict
from models.fulfilment.messages import ShipmentRelease
from models.fulfilment.policy import FulfilmentPolicy
from models.fulfilment.shipments import DispatchRequest, ShipmentStatus
from models.sales.messages import Decision
from models.sales.orders import OrderPublic
from models.security.users import Role
from models.workflow_ids import shipment_workflow_id
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.support.mail import received
from tests.support.orders import invoices_of, planned_shipments, shipments_of, status, status_of
from tests.support.polling import eventually, reading
from tests.support.stock import level, quantity_in
from tests.support.workflows import Flow
from workflows.fulfilment.shipment import ShipmentWorkflow
from workflows.sales.order import OrderWorkflow


async def _approved(
    flow: Flow,
    quantity: int,
    stock: int,
    policy: FulfilmentPolicy = FulfilmentPolicy.SHIP_PARTIAL,
) -> tuple[OrderPublic, WorkflowHandle]:
    """ACME's order of `quantity` widgets with `stock` on hand, approved in its workflow."""
    order = factories.widget_order(flow.engine, quantity, stock=stock, policy=policy)
    return order, await flow.approved_order(order.id)


async def _dispatch(flow: Flow, shipment_id: int, eta: date | None = None) -> None:
    factories.dispatch(flow.engine, shipment_id, eta)
    await flow.relay()


async def _receive(flow: Flow, quantity: int) -> None:
    factories.receive(flow.engine, quantity)
    await flow.relay()


async def test_partial_shipment_ships_what_is_there_and_a_receipt_serves_the_backorder(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order, _ = await _approved(flow, quantity=5, stock=3)

    [first] = await planned_shipments(sqlite_engine, order.id)
    assert quantity_in(sqlite_engine, first) == 3  # what is there now; 2 are backordered
    assert (level(sqlite_engine).on_hand, level(sqlite_engine).reserved) == (3, 3)
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "awaiting_shipment")

    await _dispatch(flow, first.id or 0)
    [invoice] = await eventually(
        reading(invoices_of, sqlite_engine, order.id), lambda i: len(i) == 1
    )
    assert invoice.subtotal == Decimal("30.00")  # 3 x 10.00, the first shipment only
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "partially_shipped")

    await _receive(flow, 2)  # the receipt serves the backorder at once
    shipments = await planned_shipments(sqlite_engine, order.id, 2)
    assert quantity_in(sqlite_engine, shipments[1]) == 2
    await _dispatch(flow, shipments[1].id or 0)

    invoices = await eventually(
        reading(invoices_of, sqlite_engine, order.id), lambda i: len(i) == 2
    )
    assert [i.subtotal for i in invoices] == [Decimal("30.00"), Decimal("20.00")]
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "invoiced")
    assert (level(sqlite_engine).on_hand, level(sqlite_engine).reserved) == (0, 0)
    with Session(sqlite_engine) as session:
        statuses = [e.status for e in timeline(session, order.id) if e.status]
    for expected in ("awaiting_shipment", "partially_shipped", "invoiced", "shipped"):
        assert expected in statuses


async def test_ship_complete_order_waits_until_every_line_can_go_in_one_shipment(
    flow: Flow, sqlite_engine: Engine
) -> None:
    complete = FulfilmentPolicy.SHIP_COMPLETE
    order, _ = await _approved(flow, quantity=5, stock=3, policy=complete)
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "backordered")
    assert shipments_of(sqlite_engine, order.id) == []
    assert level(sqlite_engine).reserved == 3  # it keeps its place in the queue

    await _receive(flow, 2)
    [only] = await planned_shipments(sqlite_engine, order.id)
    assert quantity_in(sqlite_engine, only) == 5
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "awaiting_shipment")


async def test_cancelling_a_backordered_order_gives_its_reserved_stock_back(
    flow: Flow, sqlite_engine: Engine
) -> None:
    complete = FulfilmentPolicy.SHIP_COMPLETE
    order, handle = await _approved(flow, quantity=5, stock=3, policy=complete)
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "backordered")
    assert level(sqlite_engine).reserved == 3
    await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="no longer"))
    await handle.result()
    assert status(sqlite_engine, order.id) == "cancelled"
    assert (level(sqlite_engine).on_hand, level(sqlite_engine).reserved) == (3, 0)


async def test_late_shipment_alerts_the_rep_and_ops_once(
    flow: Flow, sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    factories.user(sqlite_engine, "sales", [Role.SALES], email="rep@o2c.example")
    order, _ = await _approved(flow, quantity=2, stock=5)
    [shipment] = await planned_shipments(sqlite_engine, order.id)
    now = await flow.env.get_current_time()
    eta = now.date() + timedelta(days=2)
    end_of_eta_day = datetime.combine(eta + timedelta(days=1), time.min, tzinfo=UTC)
    await _dispatch(flow, shipment.id or 0, eta=eta)
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "invoiced")
    invoice_mails = len(mail_catcher.messages())

    async def late_mails() -> list[str]:
        found = received(mail_catcher)[invoice_mails:]
        return sorted(str(m["To"]) for m in found if "Late shipment" in str(m["Subject"]))

    both = ["ops@o2c.example", "rep@o2c.example"]
    await flow.env.sleep(end_of_eta_day - now - timedelta(hours=1))
    assert await late_mails() == []  # the ETA day has not ended yet
    await flow.env.sleep(timedelta(hours=2))
    await eventually(late_mails, lambda m: m == both)
    await flow.env.sleep(timedelta(days=5))
    assert await late_mails() == both  # once, not every day
    with Session(sqlite_engine) as session:
        kinds = [e.kind for e in timeline(session, order.id)]
    assert kinds.count("shipment_late") == 1


async def test_reservation_not_shipped_in_time_is_released_and_the_rep_told(
    flow: Flow, sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    factories.user(sqlite_engine, "sales", [Role.SALES], email="rep@o2c.example")
    order, _ = await _approved(flow, quantity=2, stock=5)
    [shipment] = await planned_shipments(sqlite_engine, order.id)
    assert level(sqlite_engine).reserved == 2

    await flow.env.sleep(timedelta(days=6))
    assert level(sqlite_engine).reserved == 2  # within the 7 days it stays reserved
    await flow.env.sleep(timedelta(days=1, hours=1))
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "backordered")
    assert level(sqlite_engine).reserved == 0
    [cancelled] = shipments_of(sqlite_engine, order.id)
    assert cancelled.status == ShipmentStatus.CANCELLED

    async def released_mails() -> list[str]:
        mails = received(mail_catcher)
        return [str(m["To"]) for m in mails if "Reservation released" in str(m["Subject"])]

    await eventually(released_mails, lambda m: m == ["rep@o2c.example"])
    request = DispatchRequest(carrier="DHL", tracking_number="X", eta=date.today())
    with pytest.raises(Conflict), Session(sqlite_engine) as session, session.begin():
        # nothing is left to dispatch from the expired shipment
        dispatch_shipment(session, shipment.id or 0, request, "w", datetime.now(UTC))


async def test_blocked_customer_shipment_waits_for_a_credit_release_before_dispatch(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order = factories.widget_order(sqlite_engine, 2, stock=5)
    await flow.relay()
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "pending_approval")
    # The customer stopped paying meanwhile: 50.00 overdue since 1 February.
    overdue = date(2026, 2, 1)
    factories.invoice(sqlite_engine, order.customer_id, "50.00", tax_rate="0", due=overdue)
    await flow.order_workflow(order.id).execute_update(
        OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
    )

    [held] = await planned_shipments(sqlite_engine, order.id)
    assert held.status == ShipmentStatus.CREDIT_HOLD
    assert "overdue" in (held.hold_reason or "")
    with pytest.raises(Conflict):
        await _dispatch(flow, held.id or 0)

    shipment = flow.env.client.get_workflow_handle(shipment_workflow_id(held.id))

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
    await _dispatch(flow, held.id or 0)
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "invoiced")


async def test_cancelling_an_order_awaiting_shipment_releases_its_stock_and_shipment(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order, handle = await _approved(flow, quantity=3, stock=5)
    [planned] = await planned_shipments(sqlite_engine, order.id)
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "awaiting_shipment")
    assert level(sqlite_engine).reserved == 3

    await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="changed"))
    assert (await handle.result()).status == "cancelled"
    assert (level(sqlite_engine).on_hand, level(sqlite_engine).reserved) == (5, 0)
    [cancelled] = shipments_of(sqlite_engine, order.id)
    assert cancelled.id == planned.id and cancelled.status == ShipmentStatus.CANCELLED


async def test_cancel_after_a_partial_shipment_cancels_the_remainder_only(
    flow: Flow, sqlite_engine: Engine
) -> None:
    order, handle = await _approved(flow, quantity=5, stock=3)
    [first] = await planned_shipments(sqlite_engine, order.id)
    await _dispatch(flow, first.id or 0)
    await eventually(reading(invoices_of, sqlite_engine, order.id), lambda i: len(i) == 1)
    await eventually(status_of(sqlite_engine, order.id), lambda s: s == "partially_shipped")

    await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="rest"))
    with pytest.raises(WorkflowUpdateFailedError):  # once is enough
        await handle.execute_update(OrderWorkflow.cancel, Decision(user="sales", comment="x"))
    with Session(sqlite_engine) as session:
        kinds = [e.kind for e in timeline(session, order.id)]
    assert "remainder_cancelled" in kinds
    await _receive(flow, 5)  # the cancelled remainder is not served any more
    assert len(shipments_of(sqlite_engine, order.id)) == 1
    assert len(invoices_of(sqlite_engine, order.id)) == 1
    assert status(sqlite_engine, order.id) != "cancelled"  # what shipped is still collected
    assert level(sqlite_engine).reserved == 0
