"""The audit trail, for auditors and admins: filtered, paged, or exported as CSV or .xlsx."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from activities.reports.files import XLSX
from activities.security.audit_listing import AuditFilter, audit_table, list_audit_events
from api.deps import DatabaseDep, PagingDep, require
from api.listing import Page
from api.routes.reports.reports import ReportFormat, table_response
from models.fields import Day, Line
from models.security.audit import AuditEventPublic
from models.security.users import Role

router = APIRouter(prefix="/audit", tags=["audit"])
AUDITORS = require(Role.AUDITOR)


@router.get(
    "",
    dependencies=[AUDITORS],
    response_model=Page[AuditEventPublic],
    responses={200: {"content": {"text/csv": {}, XLSX: {}}}},
)
async def list_audit(
    db: DatabaseDep,
    paging: PagingDep,
    entity_type: Annotated[
        Line | None, Query(alias="entity", max_length=64, description="customer, user...")
    ] = None,
    entity_id: Annotated[Line | None, Query(max_length=64)] = None,
    user: Annotated[Line | None, Query(max_length=64, description="who acted")] = None,
    day_from: Annotated[Day | None, Query(alias="from")] = None,
    day_to: Annotated[Day | None, Query(alias="to", description="inclusive")] = None,
    format: ReportFormat = ReportFormat.JSON,
) -> Response | Page[AuditEventPublic]:
    wanted = AuditFilter(entity_type, entity_id, user, day_from, day_to)
    if format == ReportFormat.JSON:
        items, total = await db.run(list_audit_events, wanted, paging.limit, paging.offset)
        return Page(items=items, total=total)
    header, rows = await db.run(audit_table, wanted)
    return table_response("audit", format, header, rows)
