"""The AR ageing report with its filters (as of, basis, currency, customer) and its exports, and
customers' statements: read and rendered by the same use cases as `GET /api/v1/reports/ar-aging`
and `GET /api/v1/customers/{id}/statement`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from activities.master_data.customers import list_customers
from activities.reports import ageing, statements
from api.deps import DatabaseDep, SettingsDep
from api.pages.access import AGEING, STATEMENTS
from api.pages.screens import Screen, screen_of
from api.routes.reports.reports import ReportFormat, table_response
from api.routes.reports.statements import StatementFormat, customer_statement
from models.fields import Day, IdParam
from models.master_data.customers import CustomerPublic
from models.reports.ageing import DEFAULT_BUCKETS, AgeingBasis, AgeingReport

router = APIRouter()
CUSTOMERS_SHOWN = 500
AgeingScreen = Annotated[Screen, Depends(screen_of(AGEING))]
StatementScreen = Annotated[Screen, Depends(screen_of(STATEMENTS))]


def _customers(session: Session) -> list[CustomerPublic]:
    customers, _ = list_customers(session, CUSTOMERS_SHOWN, 0)
    return customers


def in_currency(report: AgeingReport, currency: str | None) -> AgeingReport:
    """The report narrowed to one currency's customers and total (all when None)."""
    if not currency:
        return report
    code = currency.upper()
    return report.model_copy(
        update={
            "customers": [c for c in report.customers if c.currency == code],
            "totals": [t for t in report.totals if t.currency == code],
        }
    )


async def _report(
    db: DatabaseDep,
    as_of: date | None,
    basis: AgeingBasis,
    currency: str | None,
    customer_id: int | None,
) -> AgeingReport:
    day = as_of or date.today()
    report = await db.run(ageing.ageing_report, day, basis, DEFAULT_BUCKETS, customer_id)
    return in_currency(report, currency)


@router.get("/finance/ageing", response_class=HTMLResponse)
async def ageing_page(
    db: DatabaseDep,
    screen: AgeingScreen,
    as_of: Day | None = None,
    basis: AgeingBasis = AgeingBasis.DUE_DATE,
    currency: Annotated[str | None, Query(max_length=3)] = None,
    customer_id: Annotated[IdParam | None, Query()] = None,
) -> HTMLResponse:
    report = await _report(db, as_of, basis, currency, customer_id)
    filters: dict[str, Any] = {
        "as_of": str(report.as_of),
        "basis": basis.value,
        "currency": (currency or "").upper(),
        "customer_id": customer_id or "",
    }
    query = urlencode({k: v for k, v in filters.items() if v})
    context = {
        "report": report,
        "filters": filters,
        "query": query,
        "customers": await db.run(_customers),
        "bases": list(AgeingBasis),
    }
    return screen.show("app/finance_ageing.html", context)


@router.get("/finance/ageing/export")
async def ageing_export(
    db: DatabaseDep,
    _: AgeingScreen,
    format: ReportFormat = ReportFormat.XLSX,
    as_of: Day | None = None,
    basis: AgeingBasis = AgeingBasis.DUE_DATE,
    currency: Annotated[str | None, Query(max_length=3)] = None,
    customer_id: Annotated[IdParam | None, Query()] = None,
) -> Response:
    """The API's CSV or .xlsx of the report as filtered on the page."""
    report = await _report(db, as_of, basis, currency, customer_id)
    if format == ReportFormat.JSON:
        return Response(report.model_dump_json(), media_type="application/json")
    header, rows = ageing.ageing_table(report)
    return table_response(f"ar-aging-{report.as_of}", format, header, rows)


@router.get("/finance/statements", response_class=HTMLResponse)
async def statements_page(
    db: DatabaseDep,
    screen: StatementScreen,
    customer_id: Annotated[IdParam | None, Query()] = None,
    period_from: Annotated[Day | None, Query(alias="from")] = None,
    period_to: Annotated[Day | None, Query(alias="to")] = None,
) -> HTMLResponse:
    end = period_to or date.today()
    start = period_from or end.replace(day=1)
    statement = None
    if customer_id is not None:
        statement = await db.run(statements.customer_statement, customer_id, start, end)
    context = {
        "customers": await db.run(_customers),
        "customer_id": customer_id,
        "start": start,
        "end": end,
        "statement": statement,
    }
    return screen.show("app/finance_statements.html", context)


@router.get("/finance/statements/{customer_id}/file")
async def statement_download(
    customer_id: IdParam,
    db: DatabaseDep,
    settings: SettingsDep,
    _: StatementScreen,
    format: StatementFormat = StatementFormat.PDF,
    period_from: Annotated[Day | None, Query(alias="from")] = None,
    period_to: Annotated[Day | None, Query(alias="to")] = None,
) -> Response:
    """The statement PDF or .xlsx, answered by the API's own statement route."""
    if format == StatementFormat.JSON:
        format = StatementFormat.PDF
    answer = await customer_statement(customer_id, db, settings, period_from, period_to, format)
    assert isinstance(answer, Response)
    return answer
