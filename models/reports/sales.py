"""Sales and days-sales-outstanding reports: their shapes and the DSO rule."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sqlmodel import SQLModel

from models.money import Amount, DecimalStr


class SalesGrouping(StrEnum):
    MONTH = "month"
    CUSTOMER = "customer"
    PRODUCT = "product"


class SalesRow(SQLModel):
    key: str  # 2026-11, a customer code or a SKU
    name: str
    currency: str
    invoices: int
    net: Amount
    tax: Amount
    total: Amount


class SalesReport(SQLModel):
    period_from: date
    period_to: date
    group_by: SalesGrouping
    rows: list[SalesRow]


class DsoFigure(SQLModel):
    currency: str
    receivables: Amount
    credit_sales: Amount
    dso: DecimalStr | None  # None when nothing was sold in the window


class DsoReport(SQLModel):
    as_of: date
    days: int
    items: list[DsoFigure]


def days_sales_outstanding(
    receivables: Decimal, credit_sales: Decimal, days: int
) -> Decimal | None:
    """Receivables at the day / credit sales of the last `days` days x `days`, to 0.1 day."""
    if credit_sales <= 0:
        return None
    return (receivables / credit_sales * days).quantize(Decimal("0.1"), ROUND_HALF_UP)
