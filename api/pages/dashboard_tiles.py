"""The dashboard's KPI tiles, per currency: open receivables, overdue (amount and share), DSO,
collection effectiveness, sales this month and last; and the orders waiting for my decision."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from activities.reports.order_book import MonthBookings
from api.pages.dashboard_charts import Translate
from api.pages.dashboard_figures import CEI_DAYS, DSO_DAYS, Figures

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Tile:
    key: str  # data-kpi, for tests and styling
    label: str
    value: Decimal | int | None  # None: no figure (nothing to divide by)
    note: str = ""
    unit: str = ""  # after the value: "%"
    link: str | None = None


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole * 100).quantize(TENTH) if whole else None


def _in(label: str, currency: str) -> str:
    return f"{label} ({currency})"


def _sales(bookings: list[MonthBookings], _: Translate) -> list[Tile]:
    tiles = []
    for currency in sorted({b.currency for b in bookings}):
        *_earlier, last, this = [b for b in bookings if b.currency == currency]
        change = share(this.total - last.total, last.total)
        trend = "" if change is None else f"{change:+}% " + _("on last month")
        tiles += [
            Tile(f"sales-{currency}", _in(_("Sales this month"), currency), this.total, trend),
            Tile(f"sales-last-{currency}", _in(_("Sales last month"), currency), last.total),
        ]
    return tiles


def tiles(figures: Figures, _: Translate) -> list[Tile]:
    shown = []
    if figures.waiting is not None:
        label = _("Orders waiting for me")
        shown.append(Tile("waiting", label, figures.waiting, link="/app/inbox"))
    for t in figures.ageing.totals if figures.ageing else []:
        overdue = t.total - t.not_due
        percent = share(overdue, t.total)
        shown += [
            Tile(f"open-{t.currency}", _in(_("Open receivables"), t.currency), t.total),
            Tile(
                f"overdue-{t.currency}",
                _in(_("Overdue"), t.currency),
                overdue,
                f"{percent}%" if percent is not None else "",
            ),
        ]
    days = _("days, on the last %(days)s days' sales") % {"days": DSO_DAYS}
    for dso in figures.dso.items if figures.dso else []:
        shown.append(Tile(f"dso-{dso.currency}", _in(_("DSO"), dso.currency), dso.dso, days))
    period = _("of what was due was collected, last %(days)s days") % {"days": CEI_DAYS}
    for cei in figures.effectiveness or []:
        label = _in(_("Collection effectiveness"), cei.currency)
        shown.append(Tile(f"cei-{cei.currency}", label, cei.index_pct, period, unit="%"))
    if figures.bookings is not None:
        shown += _sales(figures.bookings, _)
    return shown
