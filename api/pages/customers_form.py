"""A customer's details, and the form that creates or changes one: what was typed goes through
the API's own input model and route (`POST /customers`, `PATCH /customers/{id}`), so a refusal
is the API's, shown beside the field it names, with what was typed kept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from activities.master_data.customers import get_customer
from api.deps import DatabaseDep, SettingsDep
from api.pages.access import CUSTOMERS, Page, form_user
from api.pages.entity_history import entity_history
from api.pages.form_errors import attempt_on_fields, read_form, whole_number
from api.pages.i18n import N_
from api.pages.rendering import render
from api.pages.screens import Screen, screen_of
from api.routes.master_data.customers import create_customer, update_customer
from models.fields import IdParam
from models.master_data.customers import CustomerCreate, CustomerPublic, CustomerUpdate
from models.security.users import Role, User

router = APIRouter()
# `POST /customers` and `PATCH /customers/{id}` are for sales, finance and credit managers.
CUSTOMER_EDITORS = Page(
    "customers",
    "/app/customers",
    N_("Customers"),
    frozenset({Role.SALES, Role.FINANCE, Role.CREDIT_MANAGER}),
)
Editor = Annotated[User, Depends(form_user(CUSTOMER_EDITORS))]
CREATED_ONLY = ("code", "currency")
CHANGED_ONLY = ("status",)
FIELDS = (
    "code",
    "name",
    "email",
    "phone",
    "address",
    "tax_id",
    "currency",
    "credit_limit",
    "payment_terms_days",
    "credit_class",
    "invoice_policy",
    "instalment_plan",
    "language",
    "status",
)
CLEARABLE = ("phone", "address", "tax_id", "instalment_plan")


def _typed(form: FormData, creating: bool) -> dict[str, str]:
    skipped = CHANGED_ONLY if creating else CREATED_ONLY
    return {name: str(form.get(name, ""))[:2000] for name in FIELDS if name not in skipped}


def _as_sent(typed: dict[str, str], creating: bool) -> dict[str, Any]:
    """The form's values as a client would send them: a field left empty is left out on a new
    customer (the API's default applies) and clears a clearable one on a change."""
    sent: dict[str, Any] = {}
    for name, value in typed.items():
        if value.strip() == "":
            if not creating:  # blank: the API names a field a customer cannot be without
                sent[name] = None if name in CLEARABLE else value
            continue
        sent[name] = whole_number(value) if name == "payment_terms_days" else value
    return sent


def _show(
    request: Request,
    settings: SettingsDep,
    user: User,
    template: str,
    customer: CustomerPublic | None,
    values: dict[str, Any],
    errors: dict[str, str],
) -> HTMLResponse:
    context = {
        "customer": customer,
        "values": values,
        "errors": errors,
        "can_edit": CUSTOMER_EDITORS.allows(user),
    }
    return render(request, template, settings, user, context)


@router.get("/customers/new", response_class=HTMLResponse)
async def new_customer(
    screen: Annotated[Screen, Depends(screen_of(CUSTOMER_EDITORS))],
) -> HTMLResponse:
    defaults = {"currency": "USD", "payment_terms_days": 30, "credit_class": "standard"}
    context = {"customer": None, "values": defaults, "errors": {}, "can_edit": True}
    return screen.show("app/customers_edit.html", context)


@router.post("/customers/new", response_class=HTMLResponse)
async def create(
    request: Request, db: DatabaseDep, settings: SettingsDep, user: Editor
) -> Response:
    typed = _typed(await request.form(), creating=True)
    body, errors = read_form(CustomerCreate, _as_sent(typed, creating=True))
    if body is not None:
        made: list[CustomerPublic] = []

        async def created() -> None:
            made.append(await create_customer(body, db, user))

        errors = await attempt_on_fields(request, created())
        if not errors:
            return HTMLResponse("", headers={"HX-Redirect": f"/app/customers/{made[0].id}"})
    return _show(request, settings, user, "app/customers_form.html", None, typed, errors)


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
async def customer_details(
    customer_id: IdParam, db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(CUSTOMERS))]
) -> HTMLResponse:
    """The customer's details, editable by those who may change them; its history for those
    who may read the audit trail."""
    customer = CustomerPublic.model_validate(await db.run(get_customer, customer_id))
    values = customer.model_dump(mode="json")
    context = {
        "customer": customer,
        "values": {k: ("" if v is None else v) for k, v in values.items()},
        "errors": {},
        "can_edit": CUSTOMER_EDITORS.allows(screen.user),
        "history": await entity_history(db, screen.user, "customer", customer_id),
    }
    return screen.show("app/customers_edit.html", context)


@router.post("/customers/{customer_id}", response_class=HTMLResponse)
async def change(
    customer_id: IdParam, request: Request, db: DatabaseDep, settings: SettingsDep, user: Editor
) -> Response:
    customer = CustomerPublic.model_validate(await db.run(get_customer, customer_id))
    typed = _typed(await request.form(), creating=False)
    body, errors = read_form(CustomerUpdate, _as_sent(typed, creating=False))
    if body is not None:
        changing = update_customer(customer_id, body, db, user, settings, Response())
        errors = await attempt_on_fields(request, changing)
        if not errors:
            return HTMLResponse("", headers={"HX-Redirect": f"/app/customers/{customer_id}"})
    values = {**typed, "code": customer.code, "currency": customer.currency}
    return _show(request, settings, user, "app/customers_form.html", customer, values, errors)
