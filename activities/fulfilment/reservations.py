"""Reservations: orders claim stock first-come first-served by approval time. A receipt or a
release offers the freed stock to waiting orders in that order; an order reserving for itself
takes only what nobody earlier is waiting for. Every claim locks the stock level rows first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Subquery, func
from sqlmodel import Session, col, select

from activities.fulfilment.stock_ledger import LevelKey, lock_levels, record_move
from activities.workflow_outbox import queue_signal
from models.fulfilment.policy import allocate
from models.fulfilment.stock import MoveKind, StockLevel, StockMove
from models.sales.messages import STOCK_AVAILABLE_SIGNAL
from models.sales.order_status import OrderStatus
from models.sales.orders import Approval, OrderLine, SalesOrder
from models.workflow_ids import order_workflow_id

S = OrderStatus
# Orders still owed goods: they hold their place in the queue for stock.
WAITING = (S.APPROVED, S.BACKORDERED, S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPED, S.INVOICED)
HeldKey = tuple[int, str]  # (order_line_id, warehouse)


def _net_by(session: Session, kinds: dict[MoveKind, int], *where: Any) -> dict[HeldKey, Decimal]:
    rows = session.exec(
        select(  # type: ignore[call-overload]
            StockMove.order_line_id,
            StockMove.warehouse,
            StockMove.kind,
            func.sum(StockMove.quantity),
        )
        .where(col(StockMove.kind).in_(list(kinds)), *where)
        .group_by(col(StockMove.order_line_id), col(StockMove.warehouse), col(StockMove.kind))
    ).all()
    totals: dict[HeldKey, Decimal] = defaultdict(Decimal)
    for line, warehouse, kind, quantity in rows:
        if line is not None:  # receipts and returns belong to no order line
            totals[(int(line), warehouse)] += kinds[MoveKind(kind)] * Decimal(quantity)
    return totals


def reserved_by_line(session: Session, line_ids: Iterable[int]) -> dict[int, Decimal]:
    """What each line has claimed so far (shipped goods included, released ones not)."""
    net = _net_by(
        session,
        {MoveKind.RESERVATION: 1, MoveKind.RELEASE: -1},
        col(StockMove.order_line_id).in_(list(line_ids)),
    )
    by_line: dict[int, Decimal] = defaultdict(Decimal)
    for (line_id, _), quantity in net.items():
        by_line[line_id] += quantity
    return by_line


def held_by_order(session: Session, order_id: int) -> dict[HeldKey, Decimal]:
    """Reserved and not yet issued, per order line and warehouse."""
    net = _net_by(
        session,
        {MoveKind.RESERVATION: 1, MoveKind.RELEASE: -1, MoveKind.ISSUE: -1},
        StockMove.order_id == order_id,
    )
    return {key: quantity for key, quantity in net.items() if quantity > 0}


def hold_expiries(session: Session, order_id: int) -> dict[HeldKey, datetime]:
    """A line's hold in a warehouse lasts until its latest reservation expires."""
    rows = session.exec(
        select(  # type: ignore[call-overload]
            StockMove.order_line_id, StockMove.warehouse, func.max(StockMove.expires_at)
        )
        .where(StockMove.order_id == order_id, StockMove.kind == MoveKind.RESERVATION)
        .group_by(col(StockMove.order_line_id), col(StockMove.warehouse))
    ).all()
    return {(int(line), wh): expires for line, wh, expires in rows if expires and line}


def _needs(session: Session, lines: list[OrderLine]) -> list[tuple[OrderLine, Decimal]]:
    claimed = reserved_by_line(session, [line.id or 0 for line in lines])
    return [
        (line, line.quantity - line.cancelled_quantity - claimed.get(line.id or 0, Decimal(0)))
        for line in lines
    ]


def _claim(
    levels: dict[LevelKey, StockLevel],
    session: Session,
    line: OrderLine,
    need: Decimal,
    expires_at: datetime,
) -> Decimal:
    """Reserve up to `need` for the line from its SKU's levels; returns what is still missing."""
    free = [(wh, level.available) for (sku, wh), level in sorted(levels.items()) if sku == line.sku]
    for warehouse, quantity in allocate(need, free):
        record_move(
            session,
            levels[(line.sku, warehouse)],
            MoveKind.RESERVATION,
            quantity,
            order_id=line.order_id,
            order_line_id=line.id,
            expires_at=expires_at,
        )
        need -= quantity
    return need


def reserve_for_order(session: Session, order_id: int, at: datetime, hold_days: int) -> list[str]:
    """Claim what the order still needs from free stock; returns the SKUs still short."""
    lines = session.exec(
        select(OrderLine).where(OrderLine.order_id == order_id).order_by(col(OrderLine.line_no))
    ).all()
    levels = lock_levels(session, [line.sku for line in lines])
    short: list[str] = []
    for line, need in _needs(session, list(lines)):  # read after the lock: no double claim
        if need > 0 and _claim(levels, session, line, need, at + timedelta(days=hold_days)) > 0:
            short.append(line.sku)
    return sorted(set(short))


def _approved_at() -> Subquery:
    """When each order was approved: backorders are served first come, first served."""
    return (
        select(Approval.order_id, func.max(Approval.decided_at).label("approved_at"))
        .where(Approval.decision == "approved")
        .group_by(col(Approval.order_id))
        .subquery()
    )


def serve_waiting(
    session: Session,
    skus: Iterable[str],
    at: datetime,
    hold_days: int,
    exclude_order: int | None = None,
) -> list[int]:
    """Offer the free stock of these SKUs to waiting orders, earliest approval first, and tell
    every order that got something. Returns those orders."""
    levels = lock_levels(session, skus)
    approved = _approved_at()
    query = (
        select(OrderLine)
        .join(SalesOrder, col(SalesOrder.id) == col(OrderLine.order_id))
        .join(approved, approved.c.order_id == col(SalesOrder.id))
        .where(col(OrderLine.sku).in_(sorted({sku for sku, _ in levels})))
        .where(col(SalesOrder.status).in_(WAITING))
        .order_by(approved.c.approved_at, col(SalesOrder.id), col(OrderLine.line_no))
    )
    if exclude_order is not None:
        query = query.where(SalesOrder.id != exclude_order)
    served: list[int] = []
    for line, need in _needs(session, list(session.exec(query).all())):
        if need <= 0:
            continue
        got = need - _claim(levels, session, line, need, at + timedelta(days=hold_days))
        if got > 0 and line.order_id not in served:
            served.append(line.order_id)
    nonce = session.exec(select(func.max(StockMove.id))).one()
    for order_id in served:
        queue_signal(
            session,
            key=f"signal:stock-available/{nonce}/order-{order_id}",
            workflow_id=order_workflow_id(order_id),
            signal=STOCK_AVAILABLE_SIGNAL,
            payload={},
        )
    return served


def release_holds(
    session: Session, order_id: int, at: datetime, *, expired_only: bool
) -> list[str]:
    """Give back what the order holds (only what has expired, or all); returns the SKUs."""
    lines = {
        line.id: line
        for line in session.exec(select(OrderLine).where(OrderLine.order_id == order_id)).all()
    }
    levels = lock_levels(session, [line.sku for line in lines.values()])
    expiries = hold_expiries(session, order_id)
    released: set[str] = set()
    for (line_id, warehouse), quantity in sorted(held_by_order(session, order_id).items()):
        expires = expiries.get((line_id, warehouse))
        if expired_only and (expires is None or expires > at):
            continue
        line = lines[line_id]
        record_move(
            session,
            levels[(line.sku, warehouse)],
            MoveKind.RELEASE,
            quantity,
            order_id=order_id,
            order_line_id=line_id,
        )
        released.add(line.sku)
    return sorted(released)
