"""The credit report (every customer: limit, exposure, utilisation, overdue, score, grade, last
review, open proposals) and the risk list (grades D and E, the largest exposure first), paged on
the server, read by the same use cases as `GET /api/v1/reports/credit` and `/credit-risk`; their
CSV and .xlsx are the API routes' own answers."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import HTMLResponse

from activities.credit import reports
from api.deps import DatabaseDep
from api.pages.access import CREDIT_REPORT, CREDIT_RISK
from api.pages.screens import Screen, screen_of
from api.routes.credit import reports as report_routes
from api.routes.reports.reports import ReportFormat
from models.fields import MAX_ID, Day

router = APIRouter()
PAGE_SIZE = 50
RISK_TOP = 50  # the API's default
Row = TypeVar("Row")
ReportScreen = Annotated[Screen, Depends(screen_of(CREDIT_REPORT))]
RiskScreen = Annotated[Screen, Depends(screen_of(CREDIT_RISK))]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
Top = Annotated[int, Query(ge=1, le=1000)]


class FileFormat(StrEnum):
    """The files a page offers: the API's own CSV and .xlsx."""

    CSV = "csv"
    XLSX = "xlsx"


def page_of(rows: list[Row], offset: int) -> dict[str, Any]:
    """One page of a report's rows, with what the template needs to link the next and previous."""
    return {
        "rows": rows[offset : offset + PAGE_SIZE],
        "total": len(rows),
        "offset": offset,
        "page_size": PAGE_SIZE,
    }


def query_of(**filters: object) -> str:
    """The filters as a query string, for the page links and the exports."""
    return urlencode({key: value for key, value in filters.items() if value not in (None, "")})


def file_of(answer: object) -> Response:
    """An API route's CSV or .xlsx answer, as it sent it."""
    assert isinstance(answer, Response)
    return answer


@router.get("/credit/reports", response_class=HTMLResponse)
async def credit_report_page(
    db: DatabaseDep, screen: ReportScreen, as_of: Day | None = None, offset: Offset = 0
) -> HTMLResponse:
    day = as_of or date.today()
    report = await db.run(reports.credit_report, day)
    context = {
        **page_of(report.rows, offset),
        "as_of": day,
        "query": query_of(as_of=day),
        "action": CREDIT_REPORT.path,
        "risk": False,
    }
    return screen.show("app/credit_report.html", context)


@router.get("/credit/reports/export")
async def credit_report_export(
    db: DatabaseDep, _: ReportScreen, format: FileFormat, as_of: Day | None = None
) -> Response:
    return file_of(
        await report_routes.credit_report(db=db, as_of=as_of, format=ReportFormat(format.value))
    )


@router.get("/credit/reports/risk", response_class=HTMLResponse)
async def risk_list_page(
    db: DatabaseDep,
    screen: RiskScreen,
    as_of: Day | None = None,
    top: Top = RISK_TOP,
    offset: Offset = 0,
) -> HTMLResponse:
    day = as_of or date.today()
    report = await db.run(reports.risk_list, day, top)
    context = {
        **page_of(report.rows, offset),
        "as_of": day,
        "top": top,
        "query": query_of(as_of=day, top=top),
        "action": CREDIT_RISK.path,
        "risk": True,
    }
    return screen.show("app/credit_report.html", context)


@router.get("/credit/reports/risk/export")
async def risk_list_export(
    db: DatabaseDep,
    _: RiskScreen,
    format: FileFormat,
    as_of: Day | None = None,
    top: Top = RISK_TOP,
) -> Response:
    answer = await report_routes.risk_list(
        db=db, as_of=as_of, top=top, format=ReportFormat(format.value)
    )
    return file_of(answer)
