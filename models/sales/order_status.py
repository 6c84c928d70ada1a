"""The order's states as a closed set, and the transitions allowed between them (one place)."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    CREDIT_HOLD = "credit_hold"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    BACKORDERED = "backordered"
    AWAITING_SHIPMENT = "awaiting_shipment"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    INVOICED = "invoiced"
    PAID = "paid"
    CLOSED = "closed"
    CANCELLED = "cancelled"


S = OrderStatus
TRANSITIONS: dict[OrderStatus | None, frozenset[OrderStatus]] = {
    None: frozenset({S.CREDIT_HOLD, S.PENDING_APPROVAL}),
    S.CREDIT_HOLD: frozenset({S.PENDING_APPROVAL, S.CANCELLED}),
    S.PENDING_APPROVAL: frozenset({S.APPROVED, S.REJECTED, S.CANCELLED, S.CREDIT_HOLD}),
    S.APPROVED: frozenset({S.BACKORDERED, S.AWAITING_SHIPMENT, S.CANCELLED}),
    S.BACKORDERED: frozenset({S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
    # back to backordered when a reservation expires before dispatch
    S.AWAITING_SHIPMENT: frozenset({S.BACKORDERED, S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
    S.PARTIALLY_SHIPPED: frozenset({S.SHIPPED, S.INVOICED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.INVOICED}),
    S.DELIVERED: frozenset({S.INVOICED, S.PAID, S.CLOSED}),
    # an order invoiced per shipment goes on shipping the rest
    S.INVOICED: frozenset({S.DELIVERED, S.PAID, S.PARTIALLY_SHIPPED, S.SHIPPED}),
    S.PAID: frozenset({S.CLOSED}),
    S.REJECTED: frozenset(),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

CANCELLABLE = frozenset(
    {S.CREDIT_HOLD, S.PENDING_APPROVAL, S.APPROVED, S.BACKORDERED, S.AWAITING_SHIPMENT}
)
FINAL = frozenset({S.REJECTED, S.CLOSED, S.CANCELLED})


def can_move(current: OrderStatus | None, target: OrderStatus) -> bool:
    return current == target or target in TRANSITIONS[current]
