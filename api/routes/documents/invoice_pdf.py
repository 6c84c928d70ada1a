"""Printable invoices: `GET /invoices/{id}/pdf`, the stored copy of the invoice's current version
(rendered and stored first if this version has none yet)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from activities.documents.stored_documents import invoice_document
from api.deps import DatabaseDep, SettingsDep, reader
from api.downloads import download
from models.fields import IdParam
from models.security.users import Role

router = APIRouter(prefix="/invoices", tags=["invoices"])
READERS = reader(Role.FINANCE, Role.SALES, Role.COLLECTOR, Role.CREDIT_MANAGER)


@router.get(
    "/{invoice_id}/pdf",
    dependencies=[READERS],
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def invoice_pdf(invoice_id: IdParam, db: DatabaseDep, settings: SettingsDep) -> Response:
    document = await invoice_document(db.engine, invoice_id, settings.company_name)
    return download(document.content, document.content_type, document.filename, inline=True)
