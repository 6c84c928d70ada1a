"""The order book at a glance: what was booked each month (per currency) and how many orders
stand in each status. What a sales rep may read, since it comes from the orders alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select, type_coerce
from sqlmodel import Session, col

from models.columns import MoneyColumn
from models.money import ZERO, quantize
from models.sales.order_status import OrderStatus
from models.sales.orders import SalesOrder

# Orders that never became a sale.
NOT_BOOKED = (OrderStatus.REJECTED, OrderStatus.CANCELLED)


class MonthBookings(NamedTuple):
    month: str  # YYYY-MM
    currency: str
    orders: int
    total: Decimal


class StatusCount(NamedTuple):
    status: OrderStatus
    orders: int


def months_back(last: date, count: int) -> list[str]:
    """The `count` months ending with `last`'s, oldest first, as YYYY-MM."""
    index = last.year * 12 + last.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def monthly_bookings(session: Session, last: date, months: int) -> list[MonthBookings]:
    """Order value booked per month and currency (by order date, rejected and cancelled orders
    left out) for the `months` months up to `last`'s, every month present for each currency."""
    wanted = months_back(last, months)
    first = date(int(wanted[0][:4]), int(wanted[0][5:]), 1)
    # Grouped by day in SQL (no dialect's month function), folded into months here.
    rows = session.execute(
        select(
            col(SalesOrder.order_date),
            col(SalesOrder.currency),
            func.count(),
            type_coerce(func.sum(col(SalesOrder.total)), MoneyColumn()),
        )
        .where(col(SalesOrder.order_date) >= first, col(SalesOrder.order_date) <= last)
        .where(col(SalesOrder.status).not_in(NOT_BOOKED))
        .group_by(col(SalesOrder.order_date), col(SalesOrder.currency))
    ).all()
    sums: dict[tuple[str, str], tuple[int, Decimal]] = {}
    for day, currency, count, total in rows:
        key = (f"{day.year:04d}-{day.month:02d}", currency)
        orders, value = sums.get(key, (0, ZERO))
        sums[key] = (orders + count, value + (total or ZERO))
    currencies = sorted({currency for _, currency in sums})
    return [
        MonthBookings(month, currency, *_quantized(sums.get((month, currency)), currency))
        for currency in currencies
        for month in wanted
    ]


def _quantized(found: tuple[int, Decimal] | None, currency: str) -> tuple[int, Decimal]:
    orders, value = found or (0, ZERO)
    return orders, quantize(value, currency)


def orders_by_status(session: Session) -> list[StatusCount]:
    """How many orders are in each status, in the order of an order's life."""
    counts = dict(
        session.execute(
            select(col(SalesOrder.status), func.count()).group_by(col(SalesOrder.status))
        ).all()
    )
    return [StatusCount(status, counts[status]) for status in OrderStatus if status in counts]
