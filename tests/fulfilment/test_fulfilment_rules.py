"""The pure fulfilment rules: filling a need from warehouses, what a policy lets ship, and the
status fulfilment shows."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from models.fulfilment.policy import FulfilmentPolicy, allocate, fulfilment_status, may_plan
from models.sales.order_status import OrderStatus

quantities = st.integers(min_value=0, max_value=1000).map(Decimal)


def test_a_need_is_filled_from_warehouses_in_the_order_given() -> None:
    free = [("EAST", Decimal(3)), ("MAIN", Decimal(5))]
    assert allocate(Decimal(4), free) == [("EAST", Decimal(3)), ("MAIN", Decimal(1))]
    assert allocate(Decimal(2), free) == [("EAST", Decimal(2))]
    assert allocate(Decimal(9), free) == free


@given(quantities, st.lists(st.tuples(st.sampled_from("ABCDE"), quantities), max_size=5))
def test_allocation_never_takes_more_than_needed_or_free(
    need: Decimal, free: list[tuple[str, Decimal]]
) -> None:
    taken = allocate(need, free)
    assert sum(q for _, q in taken) == min(need, sum(q for _, q in free))
    assert all(q > 0 for _, q in taken)
    for (warehouse, quantity), (source, available) in zip(
        taken, [f for f in free if f[1] > 0], strict=False
    ):
        assert warehouse == source and quantity <= available


def test_ship_partial_plans_what_is_reserved_and_ship_complete_waits_for_everything() -> None:
    assert may_plan(FulfilmentPolicy.SHIP_PARTIAL, fully_reserved=False)
    assert not may_plan(FulfilmentPolicy.SHIP_COMPLETE, fully_reserved=False)
    assert may_plan(FulfilmentPolicy.SHIP_COMPLETE, fully_reserved=True)


def test_fulfilment_status_follows_what_has_left_the_warehouse() -> None:
    status = fulfilment_status
    assert (
        status(any_dispatched=False, all_dispatched=False, planned=False) == OrderStatus.BACKORDERED
    )
    assert (
        status(any_dispatched=False, all_dispatched=False, planned=True)
        == OrderStatus.AWAITING_SHIPMENT
    )
    assert (
        status(any_dispatched=True, all_dispatched=False, planned=False)
        == OrderStatus.PARTIALLY_SHIPPED
    )
    assert status(any_dispatched=True, all_dispatched=True, planned=False) == OrderStatus.SHIPPED
