"""The customer distribution as a chart: customers per group, one stacked series per currency
(their amounts are in the table beside it, never added across currencies). An ECharts option set
drawn by api/static/dashboard.js, as the dashboard's charts are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from models.credit.reports import UNREVIEWED, Distribution

Translate = Callable[[str], str]


def distribution_chart(report: Distribution, _: Translate) -> dict[str, Any]:
    groups = sorted({row.key for row in report.rows})
    currencies = sorted({row.currency for row in report.rows})
    counts = {(row.key, row.currency): row.customers for row in report.rows}
    series = [
        {
            "name": currency,
            "type": "bar",
            "stack": "customers",
            "data": [counts.get((group, currency), 0) for group in groups],
        }
        for currency in currencies
    ]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "grid": {"containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [_("not reviewed yet") if group == UNREVIEWED else group for group in groups],
        },
        "yAxis": {"type": "value", "name": _("Customers"), "minInterval": 1},
        "series": series,
    }
