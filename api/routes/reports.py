"""Finance reports: `GET /reports/ar-aging` (JSON, CSV, .xlsx)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Response

from activities import ageing
from api.deps import DatabaseDep, reader
from models.ageing import AgeingBasis, AgeingReport, parse_buckets
from models.users import Role
from notifications.tables import CSV, XLSX, to_csv, to_xlsx

router = APIRouter(prefix="/reports", tags=["reports"])
READERS = reader(Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR)


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


def table_response(
    name: str, fmt: ReportFormat, header: list[str], rows: list[list[object]]
) -> Response:
    if fmt == ReportFormat.CSV:
        content, media, suffix = to_csv(header, rows), CSV, "csv"
    else:
        content, media, suffix = to_xlsx([(name, header, rows)]), XLSX, "xlsx"
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{suffix}"'},
    )


@router.get(
    "/ar-aging",
    dependencies=[READERS],
    response_model=AgeingReport,
    responses={200: {"content": {"text/csv": {}, XLSX: {}}}},
)
async def ar_aging(
    db: DatabaseDep,
    as_of: date | None = None,
    basis: AgeingBasis = AgeingBasis.DUE_DATE,
    buckets: Annotated[str, Query(description="upper bounds in days, e.g. 30,60,90,120")] = (
        "30,60,90,120"
    ),
    customer_id: int | None = None,
    format: ReportFormat = ReportFormat.JSON,
) -> Response | AgeingReport:
    bounds = parse_buckets(buckets)
    day = as_of or date.today()
    report = await db.run(ageing.ageing_report, day, basis, bounds, customer_id)
    if format == ReportFormat.JSON:
        return report
    header, rows = ageing.ageing_table(report)
    return table_response(f"ar-aging-{day}", format, header, rows)
