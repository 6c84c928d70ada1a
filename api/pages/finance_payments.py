"""Record a payment: customer, amount, currency, date and reference, with its allocation shown
before it is saved (the API's allocation rule: oldest due first, or the invoices ticked), then
saved through the same use case as `POST /api/v1/payments`."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlmodel import Session

from activities.master_data.customers import list_customers
from activities.receivables import payments
from activities.receivables.invoices import get_invoice
from api.deps import CommandsDep, DatabaseDep, SettingsDep
from api.pages.access import PAYMENTS, form_user
from api.pages.finance_forms import INVOICE_STATUS, as_input
from api.pages.form_errors import attempt_at_field, field_errors
from api.pages.rendering import render
from api.pages.screens import Screen, screen_of
from models.master_data.customers import CustomerPublic
from models.receivables.payments import PaymentCreate, PaymentPreview, PaymentPublic
from models.security.users import User

router = APIRouter()
FIELDS = ("customer_id", "amount", "currency", "received_on", "reference")
CUSTOMERS_SHOWN = 500


def _customers(session: Session) -> list[CustomerPublic]:
    customers, _ = list_customers(session, CUSTOMERS_SHOWN, 0)
    return customers


def _payment(session: Session, typed: dict[str, str], ticked: list[int]) -> PaymentCreate:
    """The API's input model from the form; ticked invoices become its allocations."""
    data = PaymentCreate.model_validate(as_input(typed, ids=("customer_id",)))
    if not ticked:
        return data
    chosen = payments.ticked_allocations(session, data.customer_id, ticked, data.amount)
    return data.model_copy(update={"allocations": chosen})


def _preview(session: Session, typed: dict[str, str], ticked: list[int]) -> PaymentPreview:
    return payments.preview_payment(session, _payment(session, typed, ticked))


def _record(
    session: Session, typed: dict[str, str], ticked: list[int], user: str, late_days: int
) -> PaymentPublic:
    return payments.record_payment(session, _payment(session, typed, ticked), user, late_days)


async def _typed(request: Request) -> tuple[dict[str, str], list[int]]:
    form = await request.form()
    typed = {name: str(form.get(name) or "").strip() for name in FIELDS}
    ticked = [int(str(x)) for x in form.getlist("invoice") if str(x).isdigit()]
    return typed, ticked


@router.get("/finance/payments/new", response_class=HTMLResponse)
async def new_payment(
    db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(PAYMENTS))]
) -> HTMLResponse:
    customers = await db.run(_customers)
    context = {"customers": customers, "typed": {}, "ticked": [], "errors": {}}
    return screen.show("app/finance_payment.html", context)


@router.post("/finance/payments/preview", response_class=HTMLResponse)
async def preview(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(form_user(PAYMENTS))],
) -> HTMLResponse:
    """The allocation the payment would get, redrawn as the person types; nothing is saved."""
    typed, ticked = await _typed(request)
    context: dict[str, Any] = {"typed": typed, "ticked": ticked, "errors": {}, "preview": None}
    if not typed["customer_id"] or not typed["amount"]:
        return render(request, "app/finance_payment_preview.html", settings, user, context)
    try:
        refusal = await attempt_at_field(request, _keep(context, db.run(_preview, typed, ticked)))
    except ValidationError as error:
        context["errors"] = field_errors(error)
    else:
        if refusal.message:
            context["errors"] = {refusal.field or "form": refusal.message}
    return render(request, "app/finance_payment_preview.html", settings, user, context)


@router.post("/finance/payments", response_class=HTMLResponse)
async def record(
    request: Request,
    db: DatabaseDep,
    commands: CommandsDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(form_user(PAYMENTS))],
) -> HTMLResponse:
    typed, ticked = await _typed(request)
    context: dict[str, Any] = {"typed": typed, "ticked": ticked, "errors": {}, "preview": None}
    try:
        refusal = await attempt_at_field(
            request,
            _keep(
                context,
                commands.run(
                    _record, typed, ticked, user.username, settings.credit_review_late_days
                ),
                "recorded",
            ),
        )
    except ValidationError as error:
        refusal = None
        context["errors"] = field_errors(error)
    if refusal is not None and refusal.message:
        context["errors"] = {refusal.field or "form": refusal.message}
    if context.get("recorded"):
        recorded: PaymentPublic = context["recorded"]
        context["preview"] = await db.run(_after, recorded)
        return render(request, "app/finance_payment_recorded.html", settings, user, context)
    context["customers"] = await db.run(_customers)
    return render(request, "app/finance_payment_form.html", settings, user, context)


def _after(session: Session, recorded: PaymentPublic) -> list[tuple[str, Decimal, Decimal, str]]:
    """Each invoice the payment went to: number, amount taken, what is still open, status."""
    rows = []
    for allocation in recorded.allocations:
        invoice = get_invoice(session, allocation.invoice_id)
        status = INVOICE_STATUS.get(str(invoice.status), str(invoice.status))
        rows.append((invoice.number, allocation.amount, invoice.outstanding, status))
    return rows


async def _keep(context: dict[str, Any], action: Any, name: str = "preview") -> None:
    """Awaits `action`, keeping its result in the page's context under `name`."""
    context[name] = await action
