"""Exports of the importable kinds, column for column as their import reads them, so that an
import of an export writes the same data (tests/imports/test_round_trip.py). Rows are read in
pages, never all at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, col, select

from models.fulfilment.stock import StockLevel
from models.imports.cells import plain
from models.imports.kinds import COLUMNS, ImportKind
from models.master_data.customers import Customer
from models.master_data.products import Product
from models.money import quantize
from models.receivables.invoices import Invoice, InvoiceInstalment, InvoiceKind
from models.sales.order_status import OrderStatus
from models.sales.orders import OrderLine, SalesOrder
from models.sales.price_lists import PriceList, PriceListItem
from notifications.tables import to_csv, to_xlsx

PAGE = 1000
OPEN_ORDER_STATUSES = (OrderStatus.APPROVED, OrderStatus.AWAITING_SHIPMENT)


def _paged(session: Session, query: Any, key: Any) -> Iterator[Any]:
    last = 0
    while True:
        rows = session.exec(query.where(key > last).order_by(key).limit(PAGE)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def customer_rows(session: Session) -> Iterator[list[Any]]:
    for c in _paged(session, select(Customer), col(Customer.id)):
        yield [
            c.code,
            c.name,
            c.email,
            c.phone or "",
            c.address or "",
            c.tax_id or "",
            c.payment_terms_days,
            c.credit_class,
            c.currency,
            str(c.status),
            c.language,
            str(c.invoice_policy),
            c.instalment_plan or "",
            quantize(c.credit_limit, c.currency),
        ]


def product_rows(session: Session) -> Iterator[list[Any]]:
    for p in _paged(session, select(Product), col(Product.id)):
        yield [
            p.sku,
            p.name,
            p.unit,
            "yes" if p.whole_units else "no",
            quantize(p.unit_price),
            plain(p.tax_rate),
        ]


def open_invoice_rows(session: Session) -> Iterator[list[Any]]:
    query = select(Invoice).where(col(Invoice.outstanding) > 0, Invoice.kind == InvoiceKind.INVOICE)
    codes = dict(session.exec(select(Customer.id, Customer.code)).all())
    for invoice in _paged(session, query, col(Invoice.id)):
        parts = session.exec(
            select(InvoiceInstalment)
            .where(InvoiceInstalment.invoice_id == invoice.id)
            .order_by(col(InvoiceInstalment.seq))
        ).all()
        plan = ";".join(
            f"{p.due_date.isoformat()}={quantize(p.amount, invoice.currency)}" for p in parts
        )
        yield [
            invoice.number,
            codes[invoice.customer_id],
            invoice.issue_date,
            invoice.due_date,
            quantize(invoice.total, invoice.currency),
            quantize(invoice.total - invoice.outstanding, invoice.currency),
            invoice.currency,
            plan if len(parts) > 1 else "",
        ]


def stock_rows(session: Session) -> Iterator[list[Any]]:
    """What each warehouse holds now, as the opening stock of a new o2c."""
    query = select(StockLevel).where(col(StockLevel.on_hand) > 0)
    for level in session.exec(query.order_by(col(StockLevel.warehouse), col(StockLevel.sku))):
        yield [level.warehouse, level.sku, plain(level.on_hand)]


def price_list_rows(session: Session) -> Iterator[list[Any]]:
    codes = dict(session.exec(select(Customer.id, Customer.code)).all())
    query = (
        select(PriceList, PriceListItem)
        .join(PriceListItem, col(PriceListItem.price_list_id) == col(PriceList.id))
        .order_by(col(PriceList.id), col(PriceListItem.id))
    )
    for price_list, item in session.exec(query):
        yield [
            price_list.name,
            str(price_list.audience),
            price_list.credit_class or "",
            codes.get(price_list.customer_id, "") if price_list.customer_id else "",
            item.sku,
            quantize(item.unit_price),
            plain(item.min_quantity),
            item.valid_from,
            item.valid_to or "",
        ]


def open_order_rows(session: Session) -> Iterator[list[Any]]:
    """Orders still to ship, one row per line with its price; an order entered in o2c keeps
    its own number as the old-system number, so it imports elsewhere as itself."""
    codes = dict(session.exec(select(Customer.id, Customer.code)).all())
    query = (
        select(SalesOrder, OrderLine)
        .join(OrderLine, col(OrderLine.order_id) == col(SalesOrder.id))
        .where(col(SalesOrder.status).in_(OPEN_ORDER_STATUSES))
        .order_by(col(SalesOrder.id), col(OrderLine.line_no))
    )
    for order, line in session.exec(query):
        yield [
            order.legacy_number or order.number,
            codes.get(order.customer_id, ""),
            str(order.status),
            order.order_date,
            order.requested_date or "",
            line.sku,
            plain(line.quantity - line.shipped_quantity - line.cancelled_quantity),
            quantize(line.unit_price),
        ]


ROWS = {
    ImportKind.CUSTOMERS: customer_rows,
    ImportKind.PRODUCTS: product_rows,
    ImportKind.OPEN_INVOICES: open_invoice_rows,
    ImportKind.STOCK: stock_rows,
    ImportKind.PRICE_LISTS: price_list_rows,
    ImportKind.OPEN_ORDERS: open_order_rows,
}


def export_file(session: Session, kind: ImportKind, file_format: str) -> bytes:
    """The kind's rows as CSV (UTF-8 with BOM) or .xlsx, ready to import again."""
    header = [column.name for column in COLUMNS[kind]]
    rows = ROWS[kind](session)
    if file_format == "xlsx":
        return to_xlsx([(kind.value, header, rows)])
    return to_csv(header, rows)
