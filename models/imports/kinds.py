"""What can be imported and exported, and the columns of each kind's file: name, whether it
must be filled, the rule a person reads in the template, and an example value."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ImportKind(StrEnum):
    CUSTOMERS = "customers"
    PRODUCTS = "products"
    OPEN_INVOICES = "open-invoices"
    STOCK = "stock"
    PRICE_LISTS = "price-lists"
    OPEN_ORDERS = "open-orders"


class JobKind(StrEnum):
    """What an import job reads: one kind's file, or `all`, a workbook with a sheet per kind."""

    CUSTOMERS = "customers"
    PRODUCTS = "products"
    OPEN_INVOICES = "open-invoices"
    STOCK = "stock"
    PRICE_LISTS = "price-lists"
    OPEN_ORDERS = "open-orders"
    ALL = "all"


# The order a go-live upload is written in: each kind after those it refers to.
WRITE_ORDER: tuple[ImportKind, ...] = (
    ImportKind.CUSTOMERS,
    ImportKind.PRODUCTS,
    ImportKind.PRICE_LISTS,
    ImportKind.STOCK,
    ImportKind.OPEN_INVOICES,
    ImportKind.OPEN_ORDERS,
)


@dataclass(frozen=True)
class Column:
    name: str
    rule: str
    example: str
    required: bool = False


CUSTOMER_COLUMNS: tuple[Column, ...] = (
    Column(
        "code", "unique customer code: letters, digits, - and _ (the natural key)", "C1001", True
    ),
    Column("name", "the customer's name", "深圳华强电子有限公司", True),
    Column("email", "where invoices and reminders go", "ap@huaqiang.example", True),
    Column("phone", "optional", "+86 755 8888 0000"),
    Column("address", "optional", "深圳市福田区华强北路 1 号"),
    Column("tax_id", "optional", "91440300MA5F000000"),
    Column("payment_terms_days", "days to pay, 0-365 (default 30)", "30"),
    Column("credit_class", "standard, prepayment, new, ... (default standard)", "standard"),
    Column("currency", "ISO code, e.g. CNY, USD, JPY (default USD)", "CNY"),
    Column("status", "active or inactive (default active)", "active"),
    Column("language", "en, zh_Hant or zh_Hans (default en)", "zh_Hans"),
    Column("invoice_policy", "on_shipment, on_delivery or on_order", "on_shipment"),
    Column("instalment_plan", 'optional, percent@days: "30@30,70@60"', ""),
    Column(
        "credit_limit",
        "in the currency's decimals; 1,234.50 and full-width digits read",
        "50000.00",
    ),
)
PRODUCT_COLUMNS: tuple[Column, ...] = (
    Column(
        "sku", "unique stock-keeping unit: letters, digits, . - _ (the natural key)", "W-100", True
    ),
    Column("name", "what the product is called", "Widget 100", True),
    Column("unit", "unit of measure (default ea)", "ea"),
    Column("whole_units", "yes or no: sold in whole units only (default yes)", "yes"),
    Column("unit_price", "list price, two decimals at most", "19.99", True),
    Column("tax_rate", "0 to 1, e.g. 0.13 for 13% (default 0)", "0.13"),
)
OPEN_INVOICE_COLUMNS: tuple[Column, ...] = (
    Column(
        "number", "the invoice's number in the old system (the natural key)", "OLD-2025-0001", True
    ),
    Column("customer_code", "a customer that exists in o2c", "C1001", True),
    Column("issue_date", "2026-01-31 or a spreadsheet date", "2025-09-01", True),
    Column("due_date", "on or after the issue date", "2025-10-01", True),
    Column("amount", "the invoice's total, in the currency's decimals", "1200.00", True),
    Column("paid", "what the customer already paid (default 0), below the amount", "200.00"),
    Column("currency", "the customer's currency", "CNY", True),
    Column(
        "instalments",
        "optional due dates and amounts that add up to the amount: 2025-10-01=600;2025-11-01=600",
        "",
    ),
)
STOCK_COLUMNS: tuple[Column, ...] = (
    Column("warehouse", "a warehouse code that exists (MAIN is made on first use)", "MAIN", True),
    Column("sku", "a product that exists", "W-100", True),
    Column(
        "quantity", "on hand when going live, above 0 (whole units where counted so)", "120", True
    ),
)
PRICE_LIST_COLUMNS: tuple[Column, ...] = (
    Column("price_list", "the list's name; its rows may be spread over the file", "2026 CNY", True),
    Column("audience", "default, credit_class or customer (default: default)", "default"),
    Column("credit_class", "for a credit_class list: the class", ""),
    Column("customer_code", "for a customer list: the customer", ""),
    Column("sku", "a product that exists", "W-100", True),
    Column("unit_price", "the price, two decimals at most", "18.50", True),
    Column("min_quantity", "the price holds from this quantity on (default 1)", "1"),
    Column("valid_from", "first day the price holds", "2026-01-01", True),
    Column("valid_to", "last day (empty: open end)", ""),
)
OPEN_ORDER_COLUMNS: tuple[Column, ...] = (
    Column(
        "order_number",
        "the order's number in the old system (kept on the order); one row per line",
        "OLD-SO-0001",
        True,
    ),
    Column(
        "customer_code", "a customer that exists in o2c (import customers first)", "C1001", True
    ),
    Column(
        "status",
        "approved or awaiting_shipment: no credit check or approval again; o2c reserves the stock",
        "approved",
        True,
    ),
    Column("order_date", "2026-01-31 or a spreadsheet date", "2026-11-20", True),
    Column("requested_date", "optional", ""),
    Column(
        "sku", "a product that exists in o2c (import products first); once per order", "W-100", True
    ),
    Column("quantity", "still to ship, above 0 (whole units where counted so)", "10", True),
    Column(
        "unit_price",
        "the price as agreed; empty: the price list's price on the order date (or list price)",
        "18.50",
    ),
)
COLUMNS: dict[ImportKind, tuple[Column, ...]] = {
    ImportKind.CUSTOMERS: CUSTOMER_COLUMNS,
    ImportKind.PRODUCTS: PRODUCT_COLUMNS,
    ImportKind.OPEN_INVOICES: OPEN_INVOICE_COLUMNS,
    ImportKind.STOCK: STOCK_COLUMNS,
    ImportKind.PRICE_LISTS: PRICE_LIST_COLUMNS,
    ImportKind.OPEN_ORDERS: OPEN_ORDER_COLUMNS,
}
