"""Stock receipts and levels: a receipt adds to the ledger and serves waiting orders at once."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.fulfilment.reservations import serve_waiting
from activities.fulfilment.stock_ledger import ensure_level, lock_levels, record_move
from activities.fulfilment.warehouses import require_warehouse
from activities.master_data.products import product_by_sku
from activities.paging import page
from models.errors import InvalidInput, NotFound
from models.fulfilment.stock import (
    MoveKind,
    StockLevel,
    StockMove,
    StockMovePublic,
    StockPublic,
    StockReceipt,
)

DEFAULT_HOLD_DAYS = 7


def check_quantity(session: Session, sku: str, quantity: Decimal, field: str = "quantity") -> None:
    """Known SKU, positive quantity, whole units where the product is counted in them."""
    product = product_by_sku(session, sku)
    if product is None:
        raise NotFound(f"unknown SKU {sku!r}", field="sku")
    if quantity <= 0:
        raise InvalidInput(f"{field} must be positive", field=field)
    if product.whole_units and quantity != quantity.to_integral_value():
        raise InvalidInput(f"{sku} is counted in whole units", field=field)


def to_public(level: StockLevel) -> StockPublic:
    return StockPublic(
        sku=level.sku,
        warehouse=level.warehouse,
        on_hand=level.on_hand,
        reserved=level.reserved,
        available=level.available,
    )


def receive_stock(
    session: Session,
    receipt: StockReceipt,
    user: str,
    at: datetime | None = None,
    hold_days: int = DEFAULT_HOLD_DAYS,
) -> StockPublic:
    """Goods in: the level goes up, then waiting orders are served in approval order."""
    check_quantity(session, receipt.sku, receipt.quantity)
    require_warehouse(session, receipt.warehouse)
    ensure_level(session, receipt.sku, receipt.warehouse)
    level = lock_levels(session, [receipt.sku])[(receipt.sku, receipt.warehouse)]
    record_move(session, level, MoveKind.RECEIPT, receipt.quantity, created_by=user)
    serve_waiting(session, [receipt.sku], at or datetime.now(UTC), hold_days)
    return to_public(level)


def stock_levels(
    session: Session, sku: str | None, warehouse: str | None = None
) -> list[StockPublic]:
    query = select(StockLevel).order_by(col(StockLevel.sku), col(StockLevel.warehouse))
    if sku:
        query = query.where(StockLevel.sku == sku)
    if warehouse:
        query = query.where(StockLevel.warehouse == warehouse)
    return [to_public(level) for level in session.exec(query).all()]


def stock_moves(
    session: Session, sku: str, limit: int, offset: int
) -> tuple[list[StockMovePublic], int]:
    query = select(StockMove).where(StockMove.sku == sku).order_by(col(StockMove.id))
    rows, total = page(session, query, limit, offset)
    return [StockMovePublic.model_validate(move) for move in rows], total
