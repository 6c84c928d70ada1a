"""The dashboard's charts: each an ECharts option set and the table of the numbers it draws
(header and rows), the same rows the page shows under it and its .xlsx export holds. Words come
translated through `_`, the reader's gettext."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from activities.reports.credit_utilisation import CreditUse
from activities.reports.order_book import MonthBookings, StatusCount
from api.pages.dashboard_figures import (
    AGEING,
    CREDIT_USE,
    OVERDUE,
    SALES,
    STATUSES,
    TOP_CUSTOMERS,
    Figures,
)
from api.pages.i18n import N_
from models.reports.ageing import AgeingReport, CustomerAgeing
from models.sales.order_status import OrderStatus

Translate = Callable[[str], str]
STATUS_LABELS = {
    OrderStatus.CREDIT_HOLD: N_("Credit hold"),
    OrderStatus.PENDING_APPROVAL: N_("Pending approval"),
    OrderStatus.APPROVED: N_("Approved"),
    OrderStatus.REJECTED: N_("Rejected"),
    OrderStatus.BACKORDERED: N_("Backordered"),
    OrderStatus.AWAITING_SHIPMENT: N_("Awaiting shipment"),
    OrderStatus.PARTIALLY_SHIPPED: N_("Partially shipped"),
    OrderStatus.SHIPPED: N_("Shipped"),
    OrderStatus.DELIVERED: N_("Delivered"),
    OrderStatus.INVOICED: N_("Invoiced"),
    OrderStatus.PAID: N_("Paid"),
    OrderStatus.CLOSED: N_("Closed"),
    OrderStatus.CANCELLED: N_("Cancelled"),
}


@dataclass(frozen=True)
class Chart:
    key: str  # its element id and its export's name: /app/dashboard/<key>.xlsx
    title: str
    header: list[str]
    rows: list[list[Any]]
    options: dict[str, Any]  # amounts as floats: the chart draws, the table is exact


def _customer(c: CustomerAgeing) -> str:
    return f"{c.code} {c.name}"


def _bars(names: list[str], series: list[dict[str, Any]], stacked: bool = False) -> dict[str, Any]:
    for each in series:
        each["type"] = "bar"
        if stacked:
            each["stack"] = "total"
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "grid": {"containLabel": True},
        "xAxis": {"type": "category", "data": names},
        "yAxis": {"type": "value"},
        "series": series,
    }


def ageing_chart(report: AgeingReport, _: Translate) -> Chart:
    """The largest balances as stacked bars, one series per age bucket; the totals per currency
    close the table."""
    largest = sorted(report.customers, key=lambda c: c.total, reverse=True)[:TOP_CUSTOMERS]
    columns = [_("Not due"), *report.buckets]
    amounts = [[c.not_due, *(c.amounts[b] for b in report.buckets)] for c in largest]
    series = [
        {"name": name, "data": [float(row[i]) for row in amounts]} for i, name in enumerate(columns)
    ]
    rows = [
        [_customer(c), c.currency, *row, c.total] for c, row in zip(largest, amounts, strict=True)
    ]
    rows += [
        [_("Total"), t.currency, t.not_due, *(t.amounts[b] for b in report.buckets), t.total]
        for t in report.totals
    ]
    names = [f"{c.code} ({c.currency})" for c in largest]
    return Chart(
        AGEING,
        _("Receivables by age"),
        [_("Customer"), _("Currency"), *columns, _("Total")],
        rows,
        _bars(names, series, stacked=True),
    )


def overdue_chart(report: AgeingReport, _: Translate) -> Chart:
    late = [(c, c.total - c.not_due) for c in report.customers if c.total > c.not_due]
    largest = sorted(late, key=lambda pair: pair[1], reverse=True)[:TOP_CUSTOMERS]
    rows = [
        [
            _customer(c),
            c.currency,
            overdue,
            c.total,
            (overdue / c.total * 100).quantize(Decimal("0.1")),
        ]
        for c, overdue in largest
    ]
    names = [f"{c.code} ({c.currency})" for c, _overdue in largest]
    series = [{"name": _("Overdue"), "data": [float(overdue) for _c, overdue in largest]}]
    return Chart(
        OVERDUE,
        _("Top 10 overdue customers"),
        [_("Customer"), _("Currency"), _("Overdue"), _("Open"), _("Overdue %")],
        rows,
        _bars(names, series),
    )


def sales_chart(bookings: list[MonthBookings], _: Translate) -> Chart:
    months = sorted({b.month for b in bookings})
    currencies = sorted({b.currency for b in bookings})
    series = [
        {"name": cur, "data": [float(b.total) for b in bookings if b.currency == cur]}
        for cur in currencies
    ]
    return Chart(
        SALES,
        _("Sales by month (orders booked)"),
        [_("Month"), _("Currency"), _("Orders"), _("Booked")],
        [[b.month, b.currency, b.orders, b.total] for b in bookings],
        _bars(months, series),
    )


def credit_chart(uses: list[CreditUse], _: Translate) -> Chart:
    series = [{"name": _("Credit used %"), "data": [float(u.used_pct or 0) for u in uses]}]
    return Chart(
        CREDIT_USE,
        _("Credit used by the largest exposures"),
        [_("Customer"), _("Currency"), _("Credit limit"), _("Exposure"), _("Credit used %")],
        [[f"{u.code} {u.name}", u.currency, u.credit_limit, u.exposure, u.used_pct] for u in uses],
        _bars([f"{u.code} ({u.currency})" for u in uses], series),
    )


def statuses_chart(counts: list[StatusCount], _: Translate) -> Chart:
    labels = [_(STATUS_LABELS[c.status]) for c in counts]
    series = [{"name": _("Orders"), "data": [c.orders for c in counts]}]
    return Chart(
        STATUSES,
        _("Orders by status"),
        [_("Status"), _("Orders")],
        [[label, c.orders] for label, c in zip(labels, counts, strict=True)],
        _bars(labels, series),
    )


def charts(figures: Figures, _: Translate) -> list[Chart]:
    """The charts this person may see, of what was read."""
    drawn = []
    if figures.ageing is not None:
        drawn += [ageing_chart(figures.ageing, _), overdue_chart(figures.ageing, _)]
    if figures.bookings is not None:
        drawn.append(sales_chart(figures.bookings, _))
    if figures.credit is not None:
        drawn.append(credit_chart(figures.credit, _))
    if figures.statuses is not None:
        drawn.append(statuses_chart(figures.statuses, _))
    return drawn
