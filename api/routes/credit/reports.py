"""Credit reports (JSON, CSV, .xlsx): the credit report, the customer distribution, the bad-debt
ratio and the risk list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from activities.credit import reports
from activities.reports.files import XLSX
from api.deps import DatabaseDep, reader
from api.routes.reports.reports import ReportFormat, table_response
from models.credit.reports import (
    BadDebtReport,
    CreditReport,
    Distribution,
    DistributionKey,
)
from models.fields import Day
from models.security.users import Role

router = APIRouter(prefix="/reports", tags=["reports"])
READERS = reader(Role.FINANCE, Role.CREDIT_MANAGER, Role.APPROVER)
FILES: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}, XLSX: {}}}}
CREDIT_COLUMNS = [
    "code",
    "name",
    "currency",
    "credit_class",
    "credit_limit",
    "exposure",
    "utilisation",
    "overdue",
    "score",
    "grade",
    "on_hold",
    "last_review",
    "open_proposals",
]


def _credit_table(name: str, report: CreditReport, fmt: ReportFormat) -> Response:
    rows: list[list[object]] = [
        [getattr(row, column) for column in CREDIT_COLUMNS] for row in report.rows
    ]
    return table_response(name, fmt, CREDIT_COLUMNS, rows)


@router.get("/credit", dependencies=[READERS], response_model=CreditReport, responses=FILES)
async def credit_report(
    db: DatabaseDep, as_of: Day | None = None, format: ReportFormat = ReportFormat.JSON
) -> Response | CreditReport:
    """Every customer: limit, exposure, utilisation, overdue, score, grade, last review and
    open proposals."""
    day = as_of or date.today()
    report = await db.run(reports.credit_report, day)
    if format == ReportFormat.JSON:
        return report
    return _credit_table(f"credit-{day}", report, format)


@router.get("/credit-risk", dependencies=[READERS], response_model=CreditReport, responses=FILES)
async def risk_list(
    db: DatabaseDep,
    as_of: Day | None = None,
    top: Annotated[int, Query(ge=1, le=1000)] = 50,
    format: ReportFormat = ReportFormat.JSON,
) -> Response | CreditReport:
    """Customers graded D or E, the largest exposure first."""
    day = as_of or date.today()
    report = await db.run(reports.risk_list, day, top)
    if format == ReportFormat.JSON:
        return report
    return _credit_table(f"credit-risk-{day}", report, format)


@router.get(
    "/customer-distribution", dependencies=[READERS], response_model=Distribution, responses=FILES
)
async def customer_distribution(
    db: DatabaseDep,
    by: DistributionKey = DistributionKey.CREDIT_CLASS,
    as_of: Day | None = None,
    format: ReportFormat = ReportFormat.JSON,
) -> Response | Distribution:
    day = as_of or date.today()
    report = await db.run(reports.distribution, by, day)
    if format == ReportFormat.JSON:
        return report
    header = [by.value, "currency", "customers", "sales", "open_receivables"]
    rows: list[list[object]] = [
        [r.key, r.currency, r.customers, r.sales, r.open_receivables] for r in report.rows
    ]
    return table_response(f"customers-by-{by.value}-{day}", format, header, rows)


@router.get("/bad-debt", dependencies=[READERS], response_model=BadDebtReport, responses=FILES)
async def bad_debt(
    db: DatabaseDep,
    period_from: Annotated[Day | None, Query(alias="from")] = None,
    period_to: Annotated[Day | None, Query(alias="to")] = None,
    format: ReportFormat = ReportFormat.JSON,
) -> Response | BadDebtReport:
    """Written off against invoiced, by month of issue and credit class."""
    end = period_to or date.today()
    start = period_from or end - timedelta(days=365)
    report = await db.run(reports.bad_debt, start, end)
    if format == ReportFormat.JSON:
        return report
    header = ["period", "credit_class", "currency", "invoiced", "written_off", "ratio_pct"]
    rows: list[list[object]] = [
        [r.period, r.credit_class, r.currency, r.invoiced, r.written_off, r.ratio_pct]
        for r in report.rows
    ]
    return table_response(f"bad-debt-{start}-{end}", format, header, rows)
