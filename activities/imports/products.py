"""Importing products: each row checked as the API checks a new product, then created or, when
its SKU exists, updated where it changed, through the master-data use cases."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.imports.kind import WriteContext, Written
from activities.imports.row_checks import build, changed_fields, filled, read_cells
from activities.master_data.products import create_product, update_product
from models.imports.cells import amount, decimal, flag
from models.imports.jobs import RowError
from models.imports.kinds import PRODUCT_COLUMNS
from models.master_data.products import Product, ProductCreate, ProductUpdate

UPDATABLE = frozenset(ProductUpdate.model_fields)
PARSERS = {
    "unit_price": lambda value: amount(value, "USD"),
    "tax_rate": decimal,
    "whole_units": flag,
}


class ProductImport:
    columns = PRODUCT_COLUMNS

    def prepare(self, session: Session) -> None:
        """Products refer to nothing else."""

    def check(self, number: int, row: dict[str, object]) -> tuple[ProductCreate, frozenset[str]]:
        cells = filled(row)
        errors: list[RowError] = []
        values = read_cells(number, cells, PARSERS, errors)
        return build(ProductCreate, number, values, errors), frozenset(cells)

    def key(self, checked: tuple[ProductCreate, frozenset[str]]) -> str:
        return checked[0].sku

    def write(
        self,
        session: Session,
        batch: list[tuple[ProductCreate, frozenset[str]]],
        context: WriteContext,
    ) -> Written:
        skus = [product.sku for product, _ in batch]
        existing = {
            p.sku: p for p in session.exec(select(Product).where(col(Product.sku).in_(skus))).all()
        }
        written = Written()
        for product, given in batch:
            found = existing.get(product.sku)
            if found is None:
                create_product(session, product)
                written.created += 1
                continue
            changed = changed_fields(found, product, given & UPDATABLE)
            if not changed:
                written.unchanged += 1
                continue
            update_product(session, found.id or 0, ProductUpdate(**changed))
            written.updated += 1
            written.changes.append({"key": product.sku, "changed": sorted(changed)})
        return written
