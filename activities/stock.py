"""Stock receipts and reservations: each move is a ledger row beside the level it changes."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from activities.products import product_by_sku
from activities.workflow_outbox import queue_signal
from models.errors import InvalidInput, NotFound
from models.order_status import OrderStatus
from models.orders import OrderLine, SalesOrder
from models.stock import (
    DEFAULT_WAREHOUSE,
    MoveKind,
    StockLevel,
    StockMove,
    StockPublic,
    StockReceipt,
)


def _level(session: Session, sku: str, warehouse: str) -> StockLevel:
    """The level row, locked for this transaction; created at zero when new."""
    query = select(StockLevel).where(StockLevel.sku == sku, StockLevel.warehouse == warehouse)
    level = session.exec(query.with_for_update()).first()
    if level is None:
        level = StockLevel(sku=sku, warehouse=warehouse, on_hand=Decimal(0), reserved=Decimal(0))
        session.add(level)
        session.flush()
    return level


def to_public(level: StockLevel) -> StockPublic:
    return StockPublic(
        sku=level.sku,
        warehouse=level.warehouse,
        on_hand=level.on_hand,
        reserved=level.reserved,
        available=level.on_hand - level.reserved,
    )


def receive_stock(session: Session, receipt: StockReceipt, user: str) -> StockPublic:
    product = product_by_sku(session, receipt.sku)
    if product is None:
        raise NotFound(f"unknown SKU {receipt.sku!r}", field="sku")
    if product.whole_units and receipt.quantity != receipt.quantity.to_integral_value():
        raise InvalidInput(f"{receipt.sku} is counted in whole units", field="quantity")
    level = _level(session, receipt.sku, receipt.warehouse)
    level.on_hand += receipt.quantity
    session.add(level)
    session.add(
        StockMove(
            sku=receipt.sku,
            warehouse=receipt.warehouse,
            kind=MoveKind.RECEIPT,
            quantity=receipt.quantity,
            created_by=user,
        )
    )
    _announce_arrival(session, receipt.sku)
    return to_public(level)


def _announce_arrival(session: Session, sku: str) -> None:
    """Backordered orders waiting for this SKU try their reservation again."""
    waiting = session.exec(
        select(SalesOrder.id)
        .join(OrderLine, col(OrderLine.order_id) == col(SalesOrder.id))
        .where(SalesOrder.status == OrderStatus.BACKORDERED, OrderLine.sku == sku)
        .distinct()
    ).all()
    moves = session.exec(select(func.count()).select_from(StockMove)).one()
    for order_id in waiting:
        queue_signal(
            session,
            key=f"signal:stock/{sku}/{moves}/order-{order_id}",
            workflow_id=f"order-{order_id}",
            signal="stock_available",
            payload={},
        )


def stock_levels(session: Session, sku: str | None) -> list[StockPublic]:
    query = select(StockLevel).order_by(col(StockLevel.sku), col(StockLevel.warehouse))
    if sku:
        query = query.where(StockLevel.sku == sku)
    return [to_public(level) for level in session.exec(query).all()]


def reserve_order(session: Session, order_id: int) -> list[str]:
    """Reserve every line of the order, all or nothing; returns the SKUs that are short."""
    key = f"order-{order_id}/reservation"
    if session.exec(select(StockMove).where(StockMove.key == f"{key}/1")).first():
        return []
    lines = session.exec(
        select(OrderLine).where(OrderLine.order_id == order_id).order_by(col(OrderLine.line_no))
    ).all()
    levels = {line.sku: _level(session, line.sku, DEFAULT_WAREHOUSE) for line in lines}
    needed: dict[str, Decimal] = {}
    for line in lines:
        needed[line.sku] = needed.get(line.sku, Decimal(0)) + line.quantity
    shortages = [
        sku for sku, qty in needed.items() if levels[sku].on_hand - levels[sku].reserved < qty
    ]
    if shortages:
        return shortages
    for line in lines:
        level = levels[line.sku]
        level.reserved += line.quantity
        session.add(level)
        session.add(
            StockMove(
                sku=line.sku,
                warehouse=level.warehouse,
                kind=MoveKind.RESERVATION,
                quantity=line.quantity,
                order_id=order_id,
                key=f"{key}/{line.line_no}",
            )
        )
    return []


def issue_shipped(session: Session, order_id: int, sku: str, quantity: Decimal, key: str) -> None:
    """Goods left the warehouse: on hand and reserved both go down."""
    if session.exec(select(StockMove).where(StockMove.key == key)).first():
        return
    level = _level(session, sku, DEFAULT_WAREHOUSE)
    level.on_hand -= quantity
    level.reserved -= quantity
    session.add(level)
    session.add(
        StockMove(
            sku=sku,
            warehouse=level.warehouse,
            kind=MoveKind.ISSUE,
            quantity=quantity,
            order_id=order_id,
            key=key,
        )
    )
