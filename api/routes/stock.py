"""Stock receipts and levels."""

from __future__ import annotations

from fastapi import APIRouter, Request

from activities import stock
from api.deps import CurrentUser, DatabaseDep, require
from api.listing import Page
from models.stock import StockPublic, StockReceipt
from models.users import Role

router = APIRouter(prefix="/stock", tags=["stock"])


@router.post("/receipts", status_code=201, dependencies=[require(Role.WAREHOUSE)])
async def receive(
    body: StockReceipt, db: DatabaseDep, user: CurrentUser, request: Request
) -> StockPublic:
    level = await db.run(stock.receive_stock, body, user.username)
    await request.app.state.temporal.flush_outbox()
    return level


@router.get("")
async def levels(db: DatabaseDep, _: CurrentUser, sku: str | None = None) -> Page[StockPublic]:
    items = await db.run(stock.stock_levels, sku)
    return Page(items=items, total=len(items))
