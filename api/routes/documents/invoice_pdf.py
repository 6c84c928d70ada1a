"""Printable invoices: `GET /invoices/{id}/pdf`."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool

from activities.documents import invoice_pdf as documents
from api.deps import DatabaseDep, SettingsDep, reader
from models.security.users import Role

router = APIRouter(prefix="/invoices", tags=["invoices"])
READERS = reader(Role.FINANCE, Role.SALES, Role.COLLECTOR, Role.CREDIT_MANAGER)


def file_response(document: documents.Document, inline: bool = True) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(
        document.content,
        media_type=document.content_type,
        headers={"Content-Disposition": f'{disposition}; filename="{document.filename}"'},
    )


@router.get(
    "/{invoice_id}/pdf",
    dependencies=[READERS],
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def invoice_pdf(invoice_id: int, db: DatabaseDep, settings: SettingsDep) -> Response:
    source = await db.run(documents.invoice_source, invoice_id, settings.company_name)
    return file_response(await run_in_threadpool(documents.render, source))
