"""Credit notes against an invoice (finance): by amount or by lines."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Request
from sqlmodel import Session

from activities.receivables import credit_notes
from api.deps import CurrentUser, DatabaseDep, reader, require
from models.receivables.credit_notes import CreditNoteCreate, CreditNotePublic
from models.security.users import Role

router = APIRouter(prefix="/invoices", tags=["credit notes"])


def command_key(request: Request, user: str, kind: str) -> str:
    """The use case's idempotency key: the client's Idempotency-Key, else a fresh one."""
    given = request.headers.get("idempotency-key")
    return f"api/{kind}/{user}/{given}"[:160] if given else f"api/{kind}/{uuid.uuid4()}"


@router.post("/{invoice_id}/credit-notes", status_code=201, dependencies=[require(Role.FINANCE)])
async def issue_credit_note(
    invoice_id: int, body: CreditNoteCreate, db: DatabaseDep, user: CurrentUser, request: Request
) -> CreditNotePublic:
    def command(session: Session) -> CreditNotePublic:
        return credit_notes.issue_credit_note(
            session,
            invoice_id,
            amount=body.amount,
            lines=body.lines,
            reason=body.reason,
            key=command_key(request, user.username, "credit-note"),
            on=body.issue_date or date.today(),
            user=user.username,
        )

    note = await db.run(command)
    await request.app.state.temporal.flush_outbox()
    return note


@router.get("/{invoice_id}/credit-notes", dependencies=[reader(Role.FINANCE, Role.COLLECTOR)])
async def list_credit_notes(invoice_id: int, db: DatabaseDep) -> list[CreditNotePublic]:
    return await db.run(credit_notes.list_credit_notes, invoice_id)
