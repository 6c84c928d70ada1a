"""Importing price lists: one row per price (list, SKU, quantity break, first day), the list
created with its first rows and the rest added to it, through the price-list use cases (their
overlap rule applies). A price already there is left as it is; a different one is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from activities.imports.earlier import Earlier
from activities.imports.kind import WriteContext, Written
from activities.imports.row_checks import build, filled, read_cells, refuse
from activities.sales.price_lists import add_items, create_price_list
from models.fields import Code, Line
from models.imports.cells import amount, day, decimal, plain
from models.imports.jobs import RowError
from models.imports.kinds import PRICE_LIST_COLUMNS
from models.master_data.customers import Customer
from models.master_data.products import Product
from models.sales.price_lists import (
    Audience,
    PriceItemCreate,
    PriceList,
    PriceListCreate,
    PriceListItem,
)

PARSERS = {
    "unit_price": lambda value: amount(value, "USD"),
    "min_quantity": decimal,
    "valid_from": day,
    "valid_to": day,
}


class PriceRow(BaseModel):
    price_list: Line = Field(max_length=100)
    audience: Audience = Audience.DEFAULT
    credit_class: Line | None = Field(default=None, max_length=32)
    customer_code: Code | None = Field(default=None, max_length=32)
    sku: Code = Field(max_length=64)
    unit_price: Decimal = Field(ge=0)
    min_quantity: Decimal = Field(default=Decimal(1), gt=0)
    valid_from: date
    valid_to: date | None = None

    @property
    def key(self) -> str:
        return f"{self.price_list}/{self.sku}/{plain(self.min_quantity)}/{self.valid_from}"

    @property
    def audience_of_list(self) -> tuple[Audience, str | None, str | None]:
        return self.audience, self.credit_class, self.customer_code


class PriceListImport:
    columns = PRICE_LIST_COLUMNS

    def __init__(self) -> None:
        self.skus: set[str] = set()
        self.customers: dict[str, int] = {}
        self.lists: dict[str, tuple[Audience, str | None, str | None]] = {}
        self.prices: dict[str, tuple[Decimal, date | None]] = {}

    def prepare(self, session: Session) -> None:
        self.skus = set(session.exec(select(Product.sku)).all())
        self.customers = {c: i or 0 for c, i in session.exec(select(Customer.code, Customer.id))}
        codes = {i: c for c, i in self.customers.items()}
        for price_list in session.exec(select(PriceList)).all():
            customer = codes.get(price_list.customer_id or 0)
            self.lists[price_list.name] = (price_list.audience, price_list.credit_class, customer)
        items = session.exec(
            select(PriceList.name, PriceListItem).join(
                PriceListItem, col(PriceListItem.price_list_id) == col(PriceList.id)
            )
        ).all()
        for name, item in items:
            key = f"{name}/{item.sku}/{plain(item.min_quantity)}/{item.valid_from}"
            self.prices[key] = (item.unit_price, item.valid_to)

    def include(self, earlier: Earlier) -> None:
        self.skus.update(earlier.products)
        for code in earlier.customers:
            self.customers.setdefault(code, 0)

    def check(self, number: int, row: dict[str, object]) -> PriceRow:
        errors: list[RowError] = []
        price = build(PriceRow, number, read_cells(number, filled(row), PARSERS, errors), errors)
        if price.sku not in self.skus:
            raise refuse(
                number, "sku", f"product {price.sku} does not exist (import products first)"
            )
        if price.customer_code and price.customer_code not in self.customers:
            raise refuse(number, "customer_code", f"customer {price.customer_code} does not exist")
        audience = self.lists.setdefault(price.price_list, price.audience_of_list)
        if audience != price.audience_of_list:
            message = (
                f"price list {price.price_list!r} is for {_shown(audience)}, not this audience"
            )
            raise refuse(number, "audience", message)
        before = self.prices.get(price.key)
        if before is not None and before != (price.unit_price, price.valid_to):
            message = (
                f"{price.sku} already has a price in {price.price_list!r} from {price.valid_from}; "
                "end it and add a new one from a later day"
            )
            raise refuse(number, "unit_price", message)
        return price

    def key(self, checked: PriceRow) -> str:
        return checked.key

    def write(self, session: Session, batch: list[PriceRow], context: WriteContext) -> Written:
        written = Written()
        by_list: dict[str, list[PriceRow]] = {}
        for price in batch:
            if price.key in self.prices:
                written.unchanged += 1
            else:
                by_list.setdefault(price.price_list, []).append(price)
        for name, prices in by_list.items():
            items = [
                PriceItemCreate(
                    sku=p.sku,
                    unit_price=p.unit_price,
                    min_quantity=p.min_quantity,
                    valid_from=p.valid_from,
                    valid_to=p.valid_to,
                )
                for p in prices
            ]
            existing = session.exec(select(PriceList).where(PriceList.name == name)).first()
            if existing is not None:
                add_items(session, existing.id or 0, items)
            else:
                first = prices[0]
                create_price_list(
                    session,
                    PriceListCreate(
                        name=name,
                        audience=first.audience,
                        credit_class=first.credit_class,
                        customer_id=self.customers.get(first.customer_code or ""),
                        items=items,
                    ),
                )
            written.created += len(prices)
        return written


def _shown(audience: tuple[Audience, str | None, str | None]) -> str:
    kind, credit_class, customer = audience
    return " ".join(str(part) for part in (kind, credit_class or customer) if part)
