"""Warehouses: where stock is kept."""

from __future__ import annotations

from fastapi import APIRouter

from activities.fulfilment import warehouses
from api.deps import CurrentUser, DatabaseDep, require
from api.listing import Page
from models.fulfilment.warehouses import WarehouseCreate, WarehousePublic
from models.security.users import Role

router = APIRouter(prefix="/warehouses", tags=["stock"])


@router.post("", status_code=201, dependencies=[require(Role.WAREHOUSE)])
async def create_warehouse(body: WarehouseCreate, db: DatabaseDep) -> WarehousePublic:
    return await db.run(warehouses.create_warehouse, body)


@router.get("")
async def list_warehouses(db: DatabaseDep, _: CurrentUser) -> Page[WarehousePublic]:
    items = await db.run(warehouses.list_warehouses)
    return Page(items=items, total=len(items))
