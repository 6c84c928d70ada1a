"""Products: create, change, find."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from activities.paging import page
from models.errors import Conflict, NotFound
from models.master_data.products import Product, ProductCreate, ProductPublic, ProductUpdate


def get_product(session: Session, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(f"product {product_id} does not exist")
    return product


def product_by_sku(session: Session, sku: str) -> Product | None:
    return session.exec(select(Product).where(Product.sku == sku)).first()


def create_product(session: Session, data: ProductCreate) -> ProductPublic:
    taken = Conflict(f"SKU {data.sku!r} is already used", field="sku")
    if product_by_sku(session, data.sku):
        raise taken
    product = Product.model_validate(data)
    session.add(product)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request took the SKU after the check
        raise taken from exc
    session.refresh(product)  # answer with what was stored ("0.0500"), as GET will
    return ProductPublic.model_validate(product)


def update_product(session: Session, product_id: int, data: ProductUpdate) -> ProductPublic:
    product = get_product(session, product_id)
    product.sqlmodel_update(data.model_dump(exclude_unset=True))
    session.add(product)
    session.flush()
    session.refresh(product)
    return ProductPublic.model_validate(product)


def list_products(session: Session, limit: int, offset: int) -> tuple[list[ProductPublic], int]:
    rows, total = page(session, select(Product).order_by(col(Product.id)), limit, offset)
    return [ProductPublic.model_validate(p) for p in rows], total
