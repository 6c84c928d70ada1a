"""Stock receipts, levels per SKU and warehouse, and the ledger of moves behind them."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from activities.fulfilment import stock
from api.deps import (
    CommandsDep,
    CurrentUser,
    DatabaseDep,
    FulfilmentSettingsDep,
    PagingDep,
    reader,
    require,
)
from api.listing import Page
from models.fields import Code
from models.fulfilment.stock import StockMovePublic, StockPublic, StockReceipt
from models.security.users import Role

router = APIRouter(prefix="/stock", tags=["stock"])
READERS = reader(Role.WAREHOUSE, Role.SALES, Role.FINANCE)


@router.post("/receipts", status_code=201, dependencies=[require(Role.WAREHOUSE)])
async def receive(
    body: StockReceipt,
    commands: CommandsDep,
    user: CurrentUser,
    fulfilment: FulfilmentSettingsDep,
) -> StockPublic:
    return await commands.run(
        stock.receive_stock,
        body,
        user.username,
        datetime.now(UTC),
        fulfilment.reservation_days,
    )


@router.get("")
async def levels(
    db: DatabaseDep, _: CurrentUser, sku: Code | None = None, warehouse: Code | None = None
) -> Page[StockPublic]:
    items = await db.run(stock.stock_levels, sku, warehouse)
    return Page(items=items, total=len(items))


@router.get("/moves", dependencies=[READERS])
async def moves(sku: Code, db: DatabaseDep, paging: PagingDep) -> Page[StockMovePublic]:
    items, total = await db.run(stock.stock_moves, sku, paging.limit, paging.offset)
    return Page(items=items, total=total)
