"""Importing products: each row checked as the API checks a new product, then created or, when
its SKU exists, updated where it changed, a batch at a time (activities/imports/upsert.py)."""

from __future__ import annotations

from sqlmodel import Session

from activities.imports.earlier import Earlier
from activities.imports.kind import WriteContext, Written
from activities.imports.row_checks import build, filled, read_cells
from activities.imports.upsert import MasterData, create_or_update
from models.imports.cells import amount, decimal, flag
from models.imports.jobs import RowError
from models.imports.kinds import PRODUCT_COLUMNS
from models.master_data.products import Product, ProductCreate, ProductUpdate

PRODUCTS = MasterData(Product, "sku", frozenset(ProductUpdate.model_fields))
PARSERS = {
    "unit_price": lambda value: amount(value, "USD"),
    "tax_rate": decimal,
    "whole_units": flag,
}


class ProductImport:
    columns = PRODUCT_COLUMNS

    def prepare(self, session: Session) -> None:
        """Products refer to nothing else."""

    def include(self, earlier: Earlier) -> None:
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
        return create_or_update(session, batch, PRODUCTS)
