"""Price lists: the default list, lists per credit class and per customer, and their items."""

from __future__ import annotations

from fastapi import APIRouter

from activities.sales import price_lists
from api.deps import DatabaseDep, PagingDep, reader, require
from api.listing import Page
from models.fields import IdParam
from models.sales.price_lists import PriceItemCreate, PriceListCreate, PriceListPublic
from models.security.users import Role

router = APIRouter(prefix="/price-lists", tags=["pricing"])
EDITORS = require(Role.SALES, Role.FINANCE)
READERS = reader(Role.SALES, Role.FINANCE, Role.APPROVER, Role.CREDIT_MANAGER)


@router.post("", status_code=201, dependencies=[EDITORS])
async def create_price_list(body: PriceListCreate, db: DatabaseDep) -> PriceListPublic:
    return await db.run(price_lists.create_price_list, body)


@router.get("", dependencies=[READERS])
async def list_price_lists(db: DatabaseDep, paging: PagingDep) -> Page[PriceListPublic]:
    items, total = await db.run(price_lists.list_price_lists, paging.limit, paging.offset)
    return Page(items=items, total=total)


@router.get("/{list_id}", dependencies=[READERS])
async def get_price_list(list_id: IdParam, db: DatabaseDep) -> PriceListPublic:
    return await db.run(price_lists.price_list_public, list_id)


@router.post("/{list_id}/items", status_code=201, dependencies=[EDITORS])
async def add_price_items(
    list_id: IdParam, body: list[PriceItemCreate], db: DatabaseDep
) -> PriceListPublic:
    return await db.run(price_lists.add_items, list_id, body)
