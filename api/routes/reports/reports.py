"""Finance reports: AR ageing and sales (JSON, CSV, .xlsx), days sales outstanding."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Response

from activities.reports import ageing, sales
from activities.reports.files import XLSX, FileFormat, table_file
from api.deps import CurrentUser, DatabaseDep, reader
from api.downloads import download
from models.fields import Day, IdParam
from models.reports.ageing import AgeingBasis, AgeingReport, parse_buckets
from models.reports.sales import DsoReport, SalesGrouping, SalesReport
from models.security.users import Role

router = APIRouter(prefix="/reports", tags=["reports"])
READERS = reader(Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR)
# Who reads every rep's sales; a sales rep alone reads their own.
ALL_SALES_READERS = (Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR, Role.ADMIN, Role.AUDITOR)


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


def table_response(
    name: str, fmt: ReportFormat, header: list[str], rows: list[list[object]]
) -> Response:
    file = table_file(name, FileFormat(fmt.value), header, rows)
    return download(file.content, file.media_type, file.filename)


@router.get(
    "/ar-aging",
    dependencies=[READERS],
    response_model=AgeingReport,
    responses={200: {"content": {"text/csv": {}, XLSX: {}}}},
)
async def ar_aging(
    db: DatabaseDep,
    as_of: Day | None = None,
    basis: AgeingBasis = AgeingBasis.DUE_DATE,
    buckets: Annotated[str, Query(description="upper bounds in days, e.g. 30,60,90,120")] = (
        "30,60,90,120"
    ),
    customer_id: IdParam | None = None,
    format: ReportFormat = ReportFormat.JSON,
) -> Response | AgeingReport:
    bounds = parse_buckets(buckets)
    day = as_of or date.today()
    report = await db.run(ageing.ageing_report, day, basis, bounds, customer_id)
    if format == ReportFormat.JSON:
        return report
    header, rows = ageing.ageing_table(report)
    return table_response(f"ar-aging-{day}", format, header, rows)


@router.get(
    "/sales",
    dependencies=[reader(Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR, Role.SALES)],
    response_model=SalesReport,
    responses={200: {"content": {"text/csv": {}, XLSX: {}}}},
)
async def sales_report(
    db: DatabaseDep,
    user: CurrentUser,
    period_from: Annotated[Day | None, Query(alias="from")] = None,
    period_to: Annotated[Day | None, Query(alias="to")] = None,
    group_by: SalesGrouping = SalesGrouping.MONTH,
    format: ReportFormat = ReportFormat.JSON,
) -> Response | SalesReport:
    """A sales rep who reads no other report sees the sales of the orders they entered."""
    end = period_to or date.today()
    start = period_from or end.replace(month=1, day=1)
    rep = None if user.role_set & set(ALL_SALES_READERS) else user.username
    report = await db.run(sales.sales_report, start, end, group_by, rep)
    if format == ReportFormat.JSON:
        return report
    header = ["key", "name", "currency", "invoices", "net", "tax", "total"]
    rows: list[list[object]] = [
        [r.key, r.name, r.currency, r.invoices, r.net, r.tax, r.total] for r in report.rows
    ]
    return table_response(f"sales-{start}-{end}", format, header, rows)


@router.get("/dso", dependencies=[READERS])
async def dso(
    db: DatabaseDep,
    as_of: Day | None = None,
    days: Annotated[int, Query(ge=1, le=3660)] = 90,
) -> DsoReport:
    return await db.run(sales.dso_report, as_of or date.today(), days)
