"""The order's status steps as the workflow runs them against a database that got ahead of it
(an earlier run cut short by a crash, a late attempt of an earlier step) or behind what
happened: nothing fails, nothing is written twice, nothing goes back (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.sales.orders import change_status
from models.sales.messages import StatusChangeInput
from tests import factories
from tests.support.orders import events_of, status

_moments = count()


def move(engine: Engine, order_id: int, status: str, kind: str) -> None:
    """The workflow's status step, each run at a moment of its own (as a retry after a crash)."""
    at = datetime.now(UTC) + timedelta(minutes=next(_moments))
    with Session(engine) as session, session.begin():
        change_status(
            session, StatusChangeInput(order_id=order_id, status=status, kind=kind, at=at)
        )


def _approved_order(engine: Engine) -> int:
    order = factories.widget_order(engine, 2, stock=10)
    factories.approve(engine, order.id)
    return order.id


def test_a_step_the_order_has_gone_past_is_done_without_a_trace(engine: Engine) -> None:
    order_id = _approved_order(engine)  # approved before the workflow heard of it
    before = events_of(engine, order_id)

    move(engine, order_id, "pending_approval", "submitted")

    assert status(engine, order_id) == "approved"
    assert events_of(engine, order_id) == before


def test_a_step_repeated_after_a_crash_is_in_the_timeline_once(engine: Engine) -> None:
    order_id = _approved_order(engine)
    move(engine, order_id, "awaiting_shipment", "shipment_planned")
    move(engine, order_id, "awaiting_shipment", "shipment_planned")

    kinds = [kind for kind, _, _ in events_of(engine, order_id)]
    assert kinds.count("shipment_planned") == 1
    assert status(engine, order_id) == "awaiting_shipment"


def test_a_late_attempt_of_an_earlier_step_never_moves_the_order_back(engine: Engine) -> None:
    order_id = _approved_order(engine)
    for target, kind in [
        ("awaiting_shipment", "shipment_planned"),
        ("shipped", "shipped"),
        ("invoiced", "invoiced"),
        ("paid", "paid"),
    ]:
        move(engine, order_id, target, kind)

    move(engine, order_id, "awaiting_shipment", "shipment_planned")
    move(engine, order_id, "invoiced", "invoiced")

    assert status(engine, order_id) == "paid"


def test_an_order_behind_its_delivery_catches_up_and_closes(engine: Engine) -> None:
    order_id = _approved_order(engine)
    move(engine, order_id, "awaiting_shipment", "shipment_planned")

    move(engine, order_id, "delivered", "delivered")  # dispatch, delivery, payment close together
    move(engine, order_id, "paid", "paid")
    move(engine, order_id, "closed", "closed")

    assert status(engine, order_id) == "closed"
    assert [kind for kind, _, _ in events_of(engine, order_id)][-3:] == [
        "delivered",
        "paid",
        "closed",
    ]
