"""A customer's statement of account: `GET /customers/{id}/statement` as JSON, PDF or .xlsx."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool

from activities.master_data.customers import get_customer
from activities.reports import statements
from activities.reports.files import XLSX, FileFormat, statement_file
from api.deps import DatabaseDep, SettingsDep, reader
from api.downloads import download
from models.fields import Day, IdParam
from models.reports.statements import CustomerStatement
from models.security.users import Role

router = APIRouter(prefix="/customers", tags=["customers"])
READERS = reader(Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR, Role.SALES)


class StatementFormat(StrEnum):
    JSON = "json"
    PDF = "pdf"
    XLSX = "xlsx"


@router.get(
    "/{customer_id}/statement",
    dependencies=[READERS],
    response_model=CustomerStatement,
    responses={200: {"content": {"application/pdf": {}, XLSX: {}}}},
)
async def customer_statement(
    customer_id: IdParam,
    db: DatabaseDep,
    settings: SettingsDep,
    period_from: Annotated[Day | None, Query(alias="from")] = None,
    period_to: Annotated[Day | None, Query(alias="to")] = None,
    format: StatementFormat = StatementFormat.JSON,
) -> Response | CustomerStatement:
    end = period_to or date.today()
    start = period_from or end.replace(day=1)
    statement = await db.run(statements.customer_statement, customer_id, start, end)
    if format == StatementFormat.JSON:
        return statement
    customer = await db.run(get_customer, customer_id)
    file = await run_in_threadpool(
        statement_file, statement, customer, settings.company_name, FileFormat(format.value)
    )
    return download(file.content, file.media_type, file.filename)
