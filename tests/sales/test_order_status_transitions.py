"""The order status machine: every status declares where it may go, final ones go nowhere."""

from models.sales.order_status import FINAL, TRANSITIONS, OrderStatus, can_move


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
