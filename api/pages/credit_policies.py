"""Credit class policies: how overdue each class may be before its orders are blocked and how
long a hold waits; read by those the API lets read them, saved by a credit manager through the
API's own route."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import TypeAdapter, ValidationError

from activities.sales.credit_policies import list_policies
from api.deps import DatabaseDep, SettingsDep
from api.pages.access import CREDIT_POLICIES, Page, form_user
from api.pages.actions import attempt
from api.pages.form_errors import field_errors, read_form, whole_number
from api.pages.i18n import N_
from api.pages.rendering import render
from api.pages.screens import Screen, screen_of
from api.routes.sales.approval_policies import put_credit_policy
from models.fields import Line
from models.sales.credit_policy import DEFAULT_POLICY, CreditClassPolicyBase
from models.security.users import Role, User

router = APIRouter()
# `PUT /credit-policies/{class}` is for credit managers.
POLICY_EDITORS = Page(
    "credit-policy-edit",
    "/app/credit/policies",
    N_("Credit policies"),
    frozenset({Role.CREDIT_MANAGER}),
)
CLASS_NAME: TypeAdapter[str] = TypeAdapter(Line)


@router.get("/credit/policies", response_class=HTMLResponse)
async def credit_policies(
    db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(CREDIT_POLICIES))]
) -> HTMLResponse:
    context = {
        "policies": await db.run(list_policies),
        "default": DEFAULT_POLICY,
        "can_edit": POLICY_EDITORS.allows(screen.user),
        "values": {},
        "errors": {},
    }
    return screen.show("app/credit_policies.html", context)


@router.post("/credit/policies", response_class=HTMLResponse)
async def save_credit_policy(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(form_user(POLICY_EDITORS))],
    credit_class: Annotated[str, Form(max_length=32)] = "",
    overdue_days_allowed: Annotated[str, Form(max_length=12)] = "",
    hold_days: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    values = {
        "credit_class": credit_class,
        "overdue_days_allowed": overdue_days_allowed,
        "hold_days": hold_days,
    }
    numbers = {key: whole_number(values[key]) for key in ("overdue_days_allowed", "hold_days")}
    policy, errors = read_form(CreditClassPolicyBase, numbers)
    try:
        name = CLASS_NAME.validate_python(credit_class)
    except ValidationError as refused:
        errors["credit_class"] = field_errors(refused).popitem()[1]
    problem = None
    if policy is not None and not errors:
        problem = await attempt(request, put_credit_policy(name, policy, db))
        if problem is None:
            return HTMLResponse("", headers={"HX-Redirect": "/app/credit/policies"})
    context = {"values": values, "errors": errors, "problem": problem}
    return render(request, "app/credit_policy_form.html", settings, user, context)
