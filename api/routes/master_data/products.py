"""Products and their prices."""

from __future__ import annotations

from fastapi import APIRouter

from activities.master_data import products
from api.deps import CurrentUser, DatabaseDep, PagingDep, require
from api.listing import Page
from models.fields import IdParam
from models.master_data.products import ProductCreate, ProductPublic, ProductUpdate
from models.security.users import Role

router = APIRouter(prefix="/products", tags=["products"])
EDITORS = require(Role.SALES, Role.FINANCE)


@router.post("", status_code=201, dependencies=[EDITORS])
async def create_product(body: ProductCreate, db: DatabaseDep) -> ProductPublic:
    return await db.run(products.create_product, body)


@router.get("")
async def list_products(db: DatabaseDep, paging: PagingDep, _: CurrentUser) -> Page[ProductPublic]:
    items, total = await db.run(products.list_products, paging.limit, paging.offset)
    return Page(items=items, total=total)


@router.get("/{product_id}")
async def get_product(product_id: IdParam, db: DatabaseDep, _: CurrentUser) -> ProductPublic:
    return ProductPublic.model_validate(await db.run(products.get_product, product_id))


@router.patch("/{product_id}", dependencies=[EDITORS])
async def update_product(
    product_id: IdParam, body: ProductUpdate, db: DatabaseDep
) -> ProductPublic:
    return await db.run(products.update_product, product_id, body)
