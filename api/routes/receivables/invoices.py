"""Invoices: lists and detail."""

from __future__ import annotations

from fastapi import APIRouter

from activities.receivables import invoices
from api.deps import DatabaseDep, PagingDep, reader
from api.listing import Page
from models.fields import IdParam
from models.receivables.invoices import InvoicePublic, InvoiceStatus
from models.security.users import Role

router = APIRouter(prefix="/invoices", tags=["invoices"])
READERS = reader(Role.FINANCE, Role.SALES, Role.COLLECTOR, Role.CREDIT_MANAGER)


@router.get("", dependencies=[READERS])
async def list_invoices(
    db: DatabaseDep,
    paging: PagingDep,
    customer_id: IdParam | None = None,
    status: InvoiceStatus | None = None,
    overdue: bool | None = None,
) -> Page[InvoicePublic]:
    items, total = await db.run(
        invoices.list_invoices, paging.limit, paging.offset, customer_id, status, overdue
    )
    return Page(items=items, total=total)


@router.get("/{invoice_id}", dependencies=[READERS])
async def get_invoice(invoice_id: IdParam, db: DatabaseDep) -> InvoicePublic:
    return await db.run(invoices.invoice_public, invoice_id)
