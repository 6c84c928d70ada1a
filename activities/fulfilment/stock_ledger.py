"""The stock ledger's primitives: lock the level rows a command touches (always in one stable
order, so concurrent commands never deadlock), and record moves that change them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from models.fulfilment.stock import MOVE_EFFECT, MoveKind, StockLevel, StockMove

LevelKey = tuple[str, str]  # (sku, warehouse)


def ensure_level(session: Session, sku: str, warehouse: str) -> None:
    """Create the level row at zero if it is missing; a concurrent twin's insert is no error."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(StockLevel)
        .values(sku=sku, warehouse=warehouse, on_hand=0, reserved=0)
        .on_conflict_do_nothing(index_elements=["sku", "warehouse"])
    )


def lock_levels(session: Session, skus: Iterable[str]) -> dict[LevelKey, StockLevel]:
    """Every level of these SKUs, locked until commit, taken in (sku, warehouse) order."""
    wanted = sorted(set(skus))
    if not wanted:
        return {}
    query = (
        select(StockLevel)
        .where(col(StockLevel.sku).in_(wanted))
        .order_by(col(StockLevel.sku), col(StockLevel.warehouse))
        .with_for_update()
        # the values the lock protects, not what this session cached before taking it
        .execution_options(populate_existing=True)
    )
    return {(level.sku, level.warehouse): level for level in session.exec(query).all()}


def record_move(
    session: Session,
    level: StockLevel,
    kind: MoveKind,
    quantity: Decimal,
    *,
    key: str | None = None,
    **refs: Any,
) -> StockMove | None:
    """Write one move and apply it to its (locked) level; a move with a known key is skipped."""
    if key is not None and session.exec(select(StockMove).where(StockMove.key == key)).first():
        return None
    on_hand, reserved = MOVE_EFFECT[kind]
    level.on_hand += on_hand * quantity
    level.reserved += reserved * quantity
    session.add(level)
    move = StockMove(
        sku=level.sku, warehouse=level.warehouse, kind=kind, quantity=quantity, key=key, **refs
    )
    session.add(move)
    session.flush()
    return move


def ledger_totals(session: Session, sku: str, warehouse: str) -> tuple[Decimal, Decimal]:
    """On hand and reserved summed from the moves alone (the level row must agree)."""
    signed_on_hand = case(
        *[(col(StockMove.kind) == kind, effect[0]) for kind, effect in MOVE_EFFECT.items()],
        else_=0,
    )
    signed_reserved = case(
        *[(col(StockMove.kind) == kind, effect[1]) for kind, effect in MOVE_EFFECT.items()],
        else_=0,
    )
    row = session.exec(
        select(
            func.coalesce(func.sum(signed_on_hand * col(StockMove.quantity)), 0),
            func.coalesce(func.sum(signed_reserved * col(StockMove.quantity)), 0),
        ).where(StockMove.sku == sku, StockMove.warehouse == warehouse)
    ).one()
    return Decimal(row[0]), Decimal(row[1])
