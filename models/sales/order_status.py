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
# The order's workflow shows these only once it has taken up the shipments it planned (each
# with its ShipmentWorkflow started): before, a planned shipment must not leave the warehouse.
SHIPPING = frozenset({S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPED, S.INVOICED})

# How far along its life an order is. Statuses of equal progress are alternatives (backordered
# or awaiting shipment; shipped or invoiced first) that the declared transitions link. Only the
# declared transitions ever lead back (a reservation expiring, the next shipment of an order
# invoiced per shipment); everything else the workflow asks for goes forward or is already done.
PROGRESS: dict[OrderStatus, int] = {
    S.CREDIT_HOLD: 0,
    S.PENDING_APPROVAL: 1,
    S.APPROVED: 2,
    S.BACKORDERED: 3,
    S.AWAITING_SHIPMENT: 3,
    S.PARTIALLY_SHIPPED: 4,
    S.SHIPPED: 5,
    S.INVOICED: 5,
    S.DELIVERED: 6,
    S.PAID: 7,
    S.CLOSED: 8,
}


class StatusStep(StrEnum):
    """What asking an order at `current` to be at `target` amounts to."""

    MOVE = "move"  # a declared transition, or catching up forward with what already happened
    STAY = "stay"  # it is there: only the step's timeline entry (once) is new
    ALREADY_DONE = "already_done"  # it is further along: nothing to write
    REFUSED = "refused"  # against the order's life (cancel a shipped order, ship a cancelled one)


def step_towards(current: OrderStatus | None, target: OrderStatus) -> StatusStep:
    """The one rule for every status change: a step the database has already taken (or gone
    past) is done, whatever order the events arrived in; a status never moves backwards except
    by a declared transition; cancelled and rejected are ends of their own."""
    if current == target:
        return StatusStep.STAY
    if target in TRANSITIONS[current]:
        return StatusStep.MOVE
    if (
        current is None
        or current in (S.CANCELLED, S.REJECTED)
        or target in (S.CANCELLED, S.REJECTED)
    ):
        return StatusStep.REFUSED
    if PROGRESS[current] >= PROGRESS[target]:
        return StatusStep.ALREADY_DONE
    # Credit and approval are decisions, never caught up with; what follows approval is.
    after_approval = PROGRESS[current] >= PROGRESS[S.APPROVED]
    return (
        StatusStep.MOVE if after_approval and target in _reachable(current) else StatusStep.REFUSED
    )


def _reachable(current: OrderStatus) -> frozenset[OrderStatus]:
    seen: set[OrderStatus] = set()
    todo = [current]
    while todo:
        for status in TRANSITIONS[todo.pop()] - seen:
            seen.add(status)
            todo.append(status)
    return frozenset(seen)


def can_move(current: OrderStatus | None, target: OrderStatus) -> bool:
    """A declared transition (or staying where it is)."""
    return current == target or target in TRANSITIONS[current]
