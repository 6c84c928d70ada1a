"""Pure fulfilment rules: the order's shipping policy, how a need is filled from warehouses,
and which status the order's fulfilment shows."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from models.sales.order_status import OrderStatus


class FulfilmentPolicy(StrEnum):
    SHIP_PARTIAL = "ship_partial"  # ship what is there now, backorder the rest (default)
    SHIP_COMPLETE = "ship_complete"  # wait until every line can go in one shipment


def allocate(need: Decimal, free: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """Fill `need` from warehouses in the order given; never more than a warehouse has free."""
    taken: list[tuple[str, Decimal]] = []
    for warehouse, available in free:
        if need <= 0:
            break
        quantity = min(need, available)
        if quantity > 0:
            taken.append((warehouse, quantity))
            need -= quantity
    return taken


def may_plan(policy: FulfilmentPolicy, fully_reserved: bool) -> bool:
    """Does the policy let reserved goods be planned for shipment now?"""
    return policy == FulfilmentPolicy.SHIP_PARTIAL or fully_reserved


def fulfilment_status(*, any_dispatched: bool, all_dispatched: bool, planned: bool) -> OrderStatus:
    if all_dispatched:
        return OrderStatus.SHIPPED
    if any_dispatched:
        return OrderStatus.PARTIALLY_SHIPPED
    return OrderStatus.AWAITING_SHIPMENT if planned else OrderStatus.BACKORDERED
