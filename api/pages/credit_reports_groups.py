"""The customer distribution (by region, segment, credit class or grade: customers, sales and open
receivables, with its chart) and the bad-debt ratio by month and credit class, paged on the
server, read by the same use cases as `GET /api/v1/reports/customer-distribution` and
`/bad-debt`; their CSV and .xlsx are the API routes' own answers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import HTMLResponse

from activities.credit import reports
from api.deps import DatabaseDep
from api.pages.access import CREDIT_BAD_DEBT, CREDIT_DISTRIBUTION
from api.pages.credit_reports import FileFormat, Offset, file_of, page_of, query_of
from api.pages.credit_reports_chart import distribution_chart
from api.pages.i18n import N_, known, translations
from api.pages.screens import Screen, screen_of
from api.routes.credit import reports as report_routes
from api.routes.reports.reports import ReportFormat
from models.credit.reports import BadDebtReport, DistributionKey
from models.errors import O2CError
from models.fields import Day

router = APIRouter()
DistributionScreen = Annotated[Screen, Depends(screen_of(CREDIT_DISTRIBUTION))]
BadDebtScreen = Annotated[Screen, Depends(screen_of(CREDIT_BAD_DEBT))]
GROUPINGS = {
    DistributionKey.REGION: N_("Region"),
    DistributionKey.SEGMENT: N_("Segment"),
    DistributionKey.CREDIT_CLASS: N_("Credit class"),
    DistributionKey.GRADE: N_("Grade"),
}
YEAR = timedelta(days=365)  # the API's default period


@router.get("/credit/reports/distribution", response_class=HTMLResponse)
async def distribution_page(
    db: DatabaseDep,
    screen: DistributionScreen,
    by: DistributionKey = DistributionKey.CREDIT_CLASS,
    as_of: Day | None = None,
    offset: Offset = 0,
) -> HTMLResponse:
    day = as_of or date.today()
    report = await db.run(reports.distribution, by, day)
    _ = translations(known(screen.user.language)).gettext
    context = {
        **page_of(report.rows, offset),
        "by": by.value,
        "groupings": GROUPINGS,
        "as_of": day,
        "query": query_of(by=by.value, as_of=day),
        "action": CREDIT_DISTRIBUTION.path,
        "chart": distribution_chart(report, _) if report.rows else None,
    }
    return screen.show("app/credit_distribution.html", context)


@router.get("/credit/reports/distribution/export")
async def distribution_export(
    db: DatabaseDep,
    _: DistributionScreen,
    format: FileFormat,
    by: DistributionKey = DistributionKey.CREDIT_CLASS,
    as_of: Day | None = None,
) -> Response:
    answer = await report_routes.customer_distribution(
        db=db, by=by, as_of=as_of, format=ReportFormat(format.value)
    )
    return file_of(answer)


@router.get("/credit/reports/bad-debt", response_class=HTMLResponse)
async def bad_debt_page(
    db: DatabaseDep,
    screen: BadDebtScreen,
    period_from: Annotated[Day | None, Query(alias="from")] = None,
    period_to: Annotated[Day | None, Query(alias="to")] = None,
    offset: Offset = 0,
) -> HTMLResponse:
    end = period_to or date.today()
    start = period_from or end - YEAR
    problem = None
    try:
        report = await db.run(reports.bad_debt, start, end)
    except O2CError as refused:  # the period starts after it ends
        problem = refused.message
        report = BadDebtReport(period_from=start, period_to=end, rows=[])
    context = {
        **page_of(report.rows, offset),
        "start": start,
        "end": end,
        "problem": problem,
        "query": query_of(**{"from": start, "to": end}),
        "action": CREDIT_BAD_DEBT.path,
    }
    return screen.show("app/credit_bad_debt.html", context)


@router.get("/credit/reports/bad-debt/export")
async def bad_debt_export(
    db: DatabaseDep,
    _: BadDebtScreen,
    format: FileFormat,
    period_from: Annotated[Day | None, Query(alias="from")] = None,
    period_to: Annotated[Day | None, Query(alias="to")] = None,
) -> Response:
    answer = await report_routes.bad_debt(
        db=db, period_from=period_from, period_to=period_to, format=ReportFormat(format.value)
    )
    return file_of(answer)
