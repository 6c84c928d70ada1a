"""Returns of delivered goods: back into the shipment's warehouse (RETURN moves, offered to
waiting orders at once), recorded line by line, and credited at once against the invoice lines
that billed them (`credited`); a return of goods not yet invoiced stays `awaiting_credit_note`.
The order's workflow has usually closed by then, so the return is not a signal to it."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from activities.fulfilment.reservations import serve_waiting
from activities.fulfilment.shipments import get_shipment, shipment_lines
from activities.fulfilment.stock import DEFAULT_HOLD_DAYS, check_quantity
from activities.fulfilment.stock_ledger import ensure_level, lock_levels, record_move
from models.errors import Conflict, InvalidInput
from models.fulfilment.returns import (
    GoodsReturn,
    GoodsReturnLine,
    ReturnCreate,
    ReturnLinePublic,
    ReturnPublic,
)
from models.fulfilment.shipments import ShipmentStatus
from models.fulfilment.stock import MoveKind
from models.sales.orders import OrderEvent


def _returned_before(session: Session, shipment_id: int) -> dict[str, Decimal]:
    rows = session.exec(
        select(GoodsReturnLine.sku, func.sum(GoodsReturnLine.quantity))  # type: ignore[call-overload]
        .join(GoodsReturn, col(GoodsReturn.id) == col(GoodsReturnLine.return_id))
        .where(GoodsReturn.shipment_id == shipment_id)
        .group_by(GoodsReturnLine.sku)
    ).all()
    return {sku: Decimal(quantity) for sku, quantity in rows}


def record_return(
    session: Session,
    shipment_id: int,
    data: ReturnCreate,
    user: str,
    now: datetime,
    hold_days: int = DEFAULT_HOLD_DAYS,
) -> GoodsReturn:
    """The returned goods back in stock (serving waiting orders first). Crediting them is
    receivables' part: `activities.receivables.return_credits.receive_return` does both."""
    shipment = get_shipment(session, shipment_id, lock=True)
    if shipment.status != ShipmentStatus.DELIVERED:
        raise Conflict(f"shipment {shipment_id} is {shipment.status}: only delivered goods return")
    shipped = {line.sku: line for line in shipment_lines(session, shipment_id)}
    asked: dict[str, Decimal] = defaultdict(Decimal)
    for index, item in enumerate(data.lines):
        field = f"lines[{index}].quantity"
        if item.sku not in shipped:
            raise InvalidInput(f"lines[{index}].sku: {item.sku} was not in this shipment")
        check_quantity(session, item.sku, item.quantity, field=field)
        asked[item.sku] += item.quantity
    earlier = _returned_before(session, shipment_id)
    for sku, quantity in asked.items():
        left = shipped[sku].quantity - earlier.get(sku, Decimal(0))
        if quantity > left:
            raise Conflict(f"{sku}: {quantity} returned but only {left} delivered and not returned")
    goods_return = GoodsReturn(
        shipment_id=shipment_id,
        order_id=shipment.order_id,
        reason=data.reason,
        created_by=user,
        created_at=now,
    )
    session.add(goods_return)
    session.flush()
    for sku in asked:
        ensure_level(session, sku, shipment.warehouse)
    levels = lock_levels(session, asked)
    for sku, quantity in asked.items():
        line = shipped[sku]
        session.add(
            GoodsReturnLine(
                return_id=goods_return.id or 0,
                order_line_id=line.order_line_id,
                sku=sku,
                quantity=quantity,
            )
        )
        record_move(
            session,
            levels[(sku, shipment.warehouse)],
            MoveKind.RETURN,
            quantity,
            key=f"return-{goods_return.id}/{sku}",
            order_id=shipment.order_id,
            order_line_id=line.order_line_id,
            shipment_id=shipment_id,
            created_by=user,
        )
    session.add(
        OrderEvent(
            order_id=shipment.order_id,
            kind="returned",
            actor=user,
            detail=f"return {goods_return.id} of shipment {shipment_id}",
            at=now,
        )
    )
    session.flush()
    serve_waiting(session, asked, now, hold_days)
    return goods_return


def return_public(session: Session, goods_return: GoodsReturn) -> ReturnPublic:
    lines = session.exec(
        select(GoodsReturnLine)
        .where(GoodsReturnLine.return_id == goods_return.id)
        .order_by(col(GoodsReturnLine.id))
    ).all()
    return ReturnPublic.model_validate(
        goods_return, update={"lines": [ReturnLinePublic.model_validate(x) for x in lines]}
    )


def shipment_returns(session: Session, shipment_id: int) -> list[ReturnPublic]:
    get_shipment(session, shipment_id)
    rows = session.exec(
        select(GoodsReturn)
        .where(GoodsReturn.shipment_id == shipment_id)
        .order_by(col(GoodsReturn.id))
    ).all()
    return [return_public(session, r) for r in rows]
