"""Importing opening stock: what each warehouse holds of each product when o2c goes live, as
one receipt per (warehouse, SKU) in the stock ledger, keyed so a second import adds nothing."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from activities.fulfilment.stock_ledger import ensure_level, lock_levels, record_move
from activities.fulfilment.warehouses import require_warehouse
from activities.imports.earlier import Earlier
from activities.imports.kind import WriteContext, Written
from activities.imports.row_checks import build, filled, read_cells, refuse
from models.fields import Code
from models.fulfilment.stock import DEFAULT_WAREHOUSE, MoveKind, StockMove
from models.fulfilment.warehouses import Warehouse
from models.imports.cells import decimal, plain
from models.imports.jobs import RowError
from models.imports.kinds import STOCK_COLUMNS
from models.master_data.products import Product

OPENING = "opening-stock"


class OpeningStock(BaseModel):
    warehouse: Code = Field(max_length=32)
    sku: Code = Field(max_length=64)
    quantity: Decimal = Field(gt=0)

    @property
    def key(self) -> str:
        return f"{OPENING}/{self.warehouse}/{self.sku}"


class StockImport:
    columns = STOCK_COLUMNS

    def __init__(self) -> None:
        self.whole_units: dict[str, bool] = {}
        self.warehouses: set[str] = set()
        self.opened: dict[str, Decimal] = {}

    def prepare(self, session: Session) -> None:
        self.whole_units = dict(session.exec(select(Product.sku, Product.whole_units)).all())
        query = select(Warehouse.code).where(col(Warehouse.active))
        self.warehouses = set(session.exec(query).all()) | {DEFAULT_WAREHOUSE}
        moves = select(col(StockMove.key), col(StockMove.quantity)).where(
            col(StockMove.key).startswith(f"{OPENING}/")
        )
        self.opened = {key: Decimal(quantity) for key, quantity in session.exec(moves).all() if key}

    def include(self, earlier: Earlier) -> None:
        self.whole_units.update(earlier.products)

    def check(self, number: int, row: dict[str, object]) -> OpeningStock:
        errors: list[RowError] = []
        values = read_cells(number, filled(row), {"quantity": decimal}, errors)
        stock = build(OpeningStock, number, values, errors)
        if stock.warehouse not in self.warehouses:
            raise refuse(number, "warehouse", f"warehouse {stock.warehouse} does not exist")
        whole = self.whole_units.get(stock.sku)
        if whole is None:
            raise refuse(
                number, "sku", f"product {stock.sku} does not exist (import products first)"
            )
        if whole and stock.quantity != stock.quantity.to_integral_value():
            raise refuse(number, "quantity", f"{stock.sku} is counted in whole units")
        before = self.opened.get(stock.key)
        if before is not None and before != stock.quantity:
            where = f"{stock.sku} in {stock.warehouse}"
            message = (
                f"opening stock of {where} was imported as {plain(before)}; "
                "a later count is a stock movement, not a second opening"
            )
            raise refuse(number, "quantity", message)
        return stock

    def key(self, checked: OpeningStock) -> str:
        return checked.key

    def write(self, session: Session, batch: list[OpeningStock], context: WriteContext) -> Written:
        written = Written()
        for stock in batch:
            require_warehouse(session, stock.warehouse)
            ensure_level(session, stock.sku, stock.warehouse)
            level = lock_levels(session, [stock.sku])[(stock.sku, stock.warehouse)]
            moved = record_move(
                session, level, MoveKind.RECEIPT, stock.quantity, key=stock.key, created_by=OPENING
            )
            if moved is None:
                written.unchanged += 1
            else:
                written.created += 1
        return written
