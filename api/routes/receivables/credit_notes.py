"""Credit notes against an invoice (finance): by amount or by lines."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request

from activities.receivables import credit_notes
from api.deps import Commands, CommandsDep, CurrentUser, DatabaseDep, reader, require
from api.idempotency import command_key
from models.fields import IdParam
from models.receivables.credit_notes import CreditNoteCreate, CreditNotePublic
from models.security.users import Role

router = APIRouter(prefix="/invoices", tags=["credit notes"])


@router.post("/{invoice_id}/credit-notes", status_code=201, dependencies=[require(Role.FINANCE)])
async def issue_credit_note(
    invoice_id: IdParam,
    body: CreditNoteCreate,
    commands: CommandsDep,
    user: CurrentUser,
    request: Request,
) -> CreditNotePublic:
    return await issue(commands, request, invoice_id, body, user.username)


async def issue(
    commands: Commands, request: Request, invoice_id: int, body: CreditNoteCreate, user: str
) -> CreditNotePublic:
    """A credit note against the invoice, keyed by the request's Idempotency-Key; the route and
    the credit note page both issue through it."""
    return await commands.run(
        credit_notes.issue_credit_note,
        invoice_id,
        amount=body.amount,
        lines=body.lines,
        reason=body.reason,
        key=command_key(request, user, "credit-note"),
        on=body.issue_date or date.today(),
        user=user,
    )


@router.get("/{invoice_id}/credit-notes", dependencies=[reader(Role.FINANCE, Role.COLLECTOR)])
async def list_credit_notes(invoice_id: IdParam, db: DatabaseDep) -> list[CreditNotePublic]:
    return await db.run(credit_notes.list_credit_notes, invoice_id)
