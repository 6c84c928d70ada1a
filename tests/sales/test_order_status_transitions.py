"""The order status machine: every status declares where it may go, final ones go nowhere."""

import pytest

from models.sales.order_status import (
    FINAL,
    PROGRESS,
    TRANSITIONS,
    OrderStatus,
    StatusStep,
    can_move,
    step_towards,
)


def test_every_status_has_its_transitions_declared() -> None:
    assert set(TRANSITIONS) == set(OrderStatus) | {None}


def test_final_states_lead_nowhere() -> None:
    for status in FINAL:
        assert TRANSITIONS[status] == frozenset()
        assert not can_move(status, OrderStatus.APPROVED)


def test_the_happy_path_is_allowed_step_by_step() -> None:
    path = [
        None,
        OrderStatus.PENDING_APPROVAL,
        OrderStatus.APPROVED,
        OrderStatus.AWAITING_SHIPMENT,
        OrderStatus.SHIPPED,
        OrderStatus.INVOICED,
        OrderStatus.DELIVERED,
        OrderStatus.PAID,
        OrderStatus.CLOSED,
    ]
    for current, target in zip(path, path[1:], strict=False):
        assert target is not None and can_move(current, target)


def test_a_shipped_order_cannot_be_cancelled() -> None:
    assert not can_move(OrderStatus.SHIPPED, OrderStatus.CANCELLED)


# What a status change the workflow asks for amounts to, from where the database is.
MOVE, STAY, DONE, REFUSED = (
    StatusStep.MOVE,
    StatusStep.STAY,
    StatusStep.ALREADY_DONE,
    StatusStep.REFUSED,
)
S = OrderStatus
STEPS = [
    # declared transitions
    (None, S.PENDING_APPROVAL, MOVE),
    (S.PENDING_APPROVAL, S.APPROVED, MOVE),
    (S.AWAITING_SHIPMENT, S.BACKORDERED, MOVE),  # a reservation expired
    (S.INVOICED, S.PARTIALLY_SHIPPED, MOVE),  # the next shipment of an order billed per shipment
    (S.DELIVERED, S.INVOICED, MOVE),
    (S.INVOICED, S.DELIVERED, MOVE),
    # the same status: the step's timeline entry only
    (S.APPROVED, S.APPROVED, STAY),
    (S.AWAITING_SHIPMENT, S.AWAITING_SHIPMENT, STAY),
    # the database is further along: already done, never backwards
    (S.APPROVED, S.PENDING_APPROVAL, DONE),  # approved before a crash, asked for approval again
    (S.AWAITING_SHIPMENT, S.APPROVED, DONE),
    (S.SHIPPED, S.AWAITING_SHIPMENT, DONE),
    (S.SHIPPED, S.BACKORDERED, DONE),
    (S.INVOICED, S.AWAITING_SHIPMENT, DONE),
    (S.PAID, S.INVOICED, DONE),
    (S.PAID, S.DELIVERED, DONE),
    (S.CLOSED, S.PAID, DONE),
    (S.CLOSED, S.DELIVERED, DONE),
    # the database is behind what happened: caught up, forward only
    (S.AWAITING_SHIPMENT, S.DELIVERED, MOVE),  # dispatch, delivery and payment close together
    (S.APPROVED, S.INVOICED, MOVE),  # dispatched before the workflow heard of its approval
    (S.APPROVED, S.SHIPPED, MOVE),
    (S.AWAITING_SHIPMENT, S.PAID, MOVE),
    (S.SHIPPED, S.CLOSED, MOVE),
    # against the order's life
    (S.SHIPPED, S.CANCELLED, REFUSED),
    (S.APPROVED, S.REJECTED, REFUSED),
    (S.CANCELLED, S.SHIPPED, REFUSED),
    (S.REJECTED, S.APPROVED, REFUSED),
    (S.CLOSED, S.CANCELLED, REFUSED),
    (None, S.APPROVED, REFUSED),
    # credit and approval are decided, never caught up with
    (S.CREDIT_HOLD, S.APPROVED, REFUSED),
    (S.PENDING_APPROVAL, S.AWAITING_SHIPMENT, REFUSED),
]


@pytest.mark.parametrize(("current", "target", "step"), STEPS)
def test_a_status_change_is_a_move_a_stay_already_done_or_refused(
    current: OrderStatus | None, target: OrderStatus, step: StatusStep
) -> None:
    assert step_towards(current, target) is step


def test_only_declared_transitions_lead_back() -> None:
    for current in OrderStatus:
        for target in OrderStatus:
            moves = step_towards(current, target) is StatusStep.MOVE
            if moves and target not in TRANSITIONS[current] and current in PROGRESS:
                assert PROGRESS[target] > PROGRESS[current], (current, target)
