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
from api.pages.form_errors import whole_number
from api.pages.i18n import N_
from api.pages.master_data_form import RecordPage, land_on, save_form
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
CUSTOMER_PAGE = RecordPage("customer", CUSTOMER_EDITORS)
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


@router.get("/customers/new", response_class=HTMLResponse)
async def new_customer(
    screen: Annotated[Screen, Depends(screen_of(CUSTOMER_EDITORS))],
) -> HTMLResponse:
    defaults = {"currency": "USD", "payment_terms_days": 30, "credit_class": "standard"}
    return CUSTOMER_PAGE.blank(screen, defaults)


@router.post("/customers/new", response_class=HTMLResponse)
async def create(
    request: Request, db: DatabaseDep, settings: SettingsDep, user: Editor
) -> Response:
    typed = _typed(await request.form(), creating=True)
    sent = _as_sent(typed, creating=True)
    made, errors = await save_form(
        request, CustomerCreate, sent, lambda body: create_customer(body, db, user)
    )
    if made is not None:
        return land_on(f"/app/customers/{made.id}")
    return CUSTOMER_PAGE.refused(request, settings, user, None, typed, errors)


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
async def customer_details(
    customer_id: IdParam, db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(CUSTOMERS))]
) -> HTMLResponse:
    customer = CustomerPublic.model_validate(await db.run(get_customer, customer_id))
    values = customer.model_dump(mode="json")
    shown = {k: ("" if v is None else v) for k, v in values.items()}
    return await CUSTOMER_PAGE.details(screen, db, customer_id, customer, shown)


@router.post("/customers/{customer_id}", response_class=HTMLResponse)
async def change(
    customer_id: IdParam, request: Request, db: DatabaseDep, settings: SettingsDep, user: Editor
) -> Response:
    customer = CustomerPublic.model_validate(await db.run(get_customer, customer_id))
    typed = _typed(await request.form(), creating=False)
    sent = _as_sent(typed, creating=False)
    changed, errors = await save_form(
        request,
        CustomerUpdate,
        sent,
        lambda body: update_customer(customer_id, body, db, user, settings, Response()),
    )
    if changed is not None:
        return land_on(f"/app/customers/{customer_id}")
    values = {**typed, "code": customer.code, "currency": customer.currency}
    return CUSTOMER_PAGE.refused(request, settings, user, customer, values, errors)
