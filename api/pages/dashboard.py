"""The home page: KPI tiles and the AR ageing chart for the people who read receivables, the
number of orders waiting for my decision for those who approve."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from activities.reports.ageing import ageing_report
from activities.sales import approvals
from api.deps import DatabaseDep
from api.pages.access import DASHBOARD, INBOX
from api.pages.i18n import known, translations
from api.pages.screens import Screen, screen_of
from models.reports.ageing import DEFAULT_BUCKETS, NOT_DUE, AgeingBasis, AgeingReport
from models.sales.approvals import TaskStatus
from models.security.users import Role, User

router = APIRouter()
# The roles the API lets read the ageing report (api/routes/reports/reports.py).
RECEIVABLES_READERS = frozenset({Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR})
TOP_CUSTOMERS = 10


def reads_receivables(user: User) -> bool:
    return bool(user.role_set & (RECEIVABLES_READERS | {Role.ADMIN, Role.AUDITOR}))


def percent(part: Decimal, whole: Decimal) -> str:
    return f"{(part / whole * 100):.1f}" if whole else "0.0"


def ageing_chart(report: AgeingReport, not_due_label: str) -> dict[str, Any]:
    """ECharts options: a stacked bar per customer and currency (largest first), one series per
    bucket. Amounts go as strings' float values: the chart draws, the table beside it is exact."""
    largest = sorted(report.customers, key=lambda c: c.total, reverse=True)[:TOP_CUSTOMERS]
    names = [f"{c.code} ({c.currency})" for c in largest]
    columns = [(NOT_DUE, not_due_label), *((b, b) for b in report.buckets)]
    series = [
        {
            "name": label,
            "type": "bar",
            "stack": "ageing",
            "data": [float(c.not_due if key == NOT_DUE else c.amounts[key]) for c in largest],
        }
        for key, label in columns
    ]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "xAxis": {"type": "category", "data": names},
        "yAxis": {"type": "value"},
        "series": series,
    }


def _figures(session: Session, user: User, today: date) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    if reads_receivables(user):
        report = ageing_report(session, today, AgeingBasis.DUE_DATE, DEFAULT_BUCKETS)
        figures["ageing"] = report
        figures["kpis"] = [
            {
                "currency": t.currency,
                "open": t.total,
                "overdue": t.total - t.not_due,
                "overdue_pct": percent(t.total - t.not_due, t.total),
            }
            for t in report.totals
        ]
    if INBOX.allows(user):
        figures["waiting"] = approvals.inbox(session, user, TaskStatus.PENDING, 1, 0)[1]
    return figures


@router.get("", response_class=HTMLResponse)
async def dashboard(
    db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(DASHBOARD))]
) -> HTMLResponse:
    figures = await db.run(_figures, screen.user, date.today())
    if "ageing" in figures:
        not_due = translations(known(screen.user.language)).gettext("Not due")
        figures["chart"] = json.dumps(ageing_chart(figures["ageing"], not_due))
    return screen.show("app/dashboard.html", figures)
