"""Credit notes: one issued against an open invoice, by amount, through the same use case as
`POST /api/v1/invoices/{id}/credit-notes`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlmodel import Session

from activities.receivables.invoices import list_invoices
from api.deps import CommandsDep, DatabaseDep, SettingsDep
from api.pages.access import CREDIT_NOTES, form_user
from api.pages.finance_forms import as_input
from api.pages.form_errors import attempt_at_field, field_errors
from api.pages.rendering import render
from api.pages.screens import Screen, screen_of
from api.routes.receivables.credit_notes import issue
from models.receivables.credit_notes import CreditNoteCreate
from models.receivables.invoices import InvoicePublic
from models.security.users import User

router = APIRouter()
FIELDS = ("invoice_id", "amount", "reason", "issue_date")
INVOICES_SHOWN = 200


def _open_invoices(session: Session) -> list[InvoicePublic]:
    """The most recent invoices with something still open, newest first."""
    invoices, _ = list_invoices(session, INVOICES_SHOWN, 0)
    return [invoice for invoice in invoices if invoice.outstanding > 0]


@router.get("/finance/credit-notes", response_class=HTMLResponse)
async def credit_notes(
    db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(CREDIT_NOTES))]
) -> HTMLResponse:
    context = {"invoices": await db.run(_open_invoices), "typed": {}, "errors": {}}
    return screen.show("app/finance_credit_notes.html", context)


@router.post("/finance/credit-notes", response_class=HTMLResponse)
async def issue_credit_note(
    request: Request,
    db: DatabaseDep,
    commands: CommandsDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(form_user(CREDIT_NOTES))],
) -> HTMLResponse:
    form = await request.form()
    typed = {name: str(form.get(name) or "").strip() for name in FIELDS}
    context: dict[str, Any] = {"typed": typed, "errors": {}, "issued": None}
    values = as_input(typed)
    invoice_id = str(values.pop("invoice_id", ""))
    try:
        body = CreditNoteCreate.model_validate(values)
    except ValidationError as error:
        context["errors"] = field_errors(error)
    else:

        async def issued() -> None:
            if not invoice_id.isdigit():
                context["errors"] = {"invoice_id": "choose an invoice"}
                return
            context["issued"] = await issue(commands, request, int(invoice_id), body, user.username)

        refusal = await attempt_at_field(request, issued())
        if refusal.message:
            context["errors"] = {refusal.field or "form": refusal.message}
    if context["issued"] is not None:
        context["typed"] = {}
    context["invoices"] = await db.run(_open_invoices)
    return render(request, "app/finance_credit_note_form.html", settings, user, context)
