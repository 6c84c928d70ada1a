"""Products: create, change, find."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.paging import page
from models.errors import Conflict, NotFound
from models.products import Product, ProductCreate, ProductPublic, ProductUpdate


def get_product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(f"product {product_id} does not exist")
    return product


def product_by_sku(session: Session, sku: str) -> Product | None:
    return session.exec(select(Product).where(Product.sku == sku)).first()


def create_product(session: Session, data: ProductCreate) -> ProductPublic:
    if product_by_sku(session, data.sku):
        raise Conflict(f"SKU {data.sku!r} is already used", field="sku")
    product = Product.model_validate(data)
    session.add(product)
    session.flush()
    return ProductPublic.model_validate(product)


def update_product(session: Session, product_id: int, data: ProductUpdate) -> ProductPublic:
    product = get_product(session, product_id)
    product.sqlmodel_update(data.model_dump(exclude_unset=True))
    session.add(product)
    session.flush()
    return ProductPublic.model_validate(product)


def list_products(session: Session, limit: int, offset: int) -> tuple[list[ProductPublic], int]:
    rows, total = page(session, select(Product).order_by(col(Product.id)), limit, offset)
    return [ProductPublic.model_validate(p) for p in rows], total
