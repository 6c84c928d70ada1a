"""Unapplied cash: the customers holding money no invoice took, and applying it to one of their
open invoices through the same use case as `POST /api/v1/customers/{id}/credit/apply`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from activities.master_data.customers import get_customer
from activities.receivables import unapplied_credit
from api.deps import CommandsDep, DatabaseDep, SettingsDep
from api.pages.access import UNAPPLIED, form_user
from api.pages.finance_forms import as_input
from api.pages.form_errors import attempt_at_field, field_errors
from api.pages.rendering import render
from api.pages.screens import Screen, screen_of
from models.fields import IdParam
from models.receivables.payments import CreditApplication, CreditApplied
from models.security.users import User

router = APIRouter()
PAGE_SIZE = 50


@router.get("/finance/credit", response_class=HTMLResponse)
async def unapplied(
    db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(UNAPPLIED))], offset: int = 0
) -> HTMLResponse:
    rows, total = await db.run(unapplied_credit.customers_with_credit, PAGE_SIZE, max(offset, 0))
    context = {"rows": rows, "total": total, "offset": offset, "page_size": PAGE_SIZE}
    return screen.show("app/finance_credit.html", context)


@router.post("/finance/credit/{customer_id}/apply", response_class=HTMLResponse)
async def apply(
    customer_id: IdParam,
    request: Request,
    db: DatabaseDep,
    commands: CommandsDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(form_user(UNAPPLIED))],
    invoice_id: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
) -> HTMLResponse:
    typed = {"invoice_id": invoice_id, "amount": amount.strip()}
    context: dict[str, Any] = {"typed": typed, "errors": {}, "applied": None}
    try:
        body = CreditApplication.model_validate(as_input(typed, ids=("invoice_id",)))
    except ValidationError as error:
        context["errors"] = field_errors(error)
    else:

        async def applied() -> None:
            context["applied"] = await commands.run(
                unapplied_credit.apply_credit, customer_id, body, user.username, date.today()
            )

        refusal = await attempt_at_field(request, applied())
        if refusal.message:
            context["errors"] = {refusal.field or "form": refusal.message}
    context["row"] = await db.run(unapplied_credit.customer_with_credit, customer_id)
    context["customer_id"] = customer_id
    context["currency"] = (await db.run(get_customer, customer_id)).currency
    done: CreditApplied | None = context["applied"]
    if done is not None:
        context["typed"] = {}
    return render(request, "app/finance_credit_row.html", settings, user, context)
