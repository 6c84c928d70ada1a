"""Order entry: find the customer as you type, see each line priced and the customer's credit
position before submitting, then enter the order through the same use case as `POST /orders`
(which starts its workflow) and land on its page."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from activities.master_data.customers import list_customers
from api.deps import CommandsDep, DatabaseDep, SettingsDep
from api.pages.access import ORDER_ENTRY, form_user
from api.pages.actions import attempt
from api.pages.form_errors import field_errors
from api.pages.i18n import N_
from api.pages.orders_draft import Draft, draft
from api.pages.orders_form import (
    TypedLine,
    lines_payload,
    refusal_errors,
    typed_lines,
)
from api.pages.rendering import render
from api.pages.screens import Screen, screen_of
from api.routes.sales.orders import create_order
from models.sales.order_requests import OrderCreate
from models.sales.orders import OrderPublic
from models.security.users import User

router = APIRouter()
MATCHES = 10  # customers offered while typing
NO_CUSTOMER = N_("Find the customer and choose it first.")
Typed = Annotated[list[str] | None, Form()]


def _customer_id(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _form(
    draft_: Draft, typed: list[TypedLine], requested_date: str, customer_query: str, extra_row: bool
) -> dict[str, Any]:
    rows = list(typed)
    if extra_row or not rows:
        rows.append(TypedLine())
    return {
        "draft": draft_,
        "rows": rows,
        "requested_date": requested_date,
        "customer_query": customer_query,
        "errors": draft_.errors,
    }


def _show(request: Request, settings: SettingsDep, user: User, context: dict[str, Any]) -> Response:
    """The form alone for htmx, which swaps it in; the whole page for a plain form post."""
    template = "app/orders_new_form.html" if request.headers.get("HX-Request") else None
    return render(request, template or "app/orders_new.html", settings, user, context)


@router.get("/orders/new", response_class=HTMLResponse)
async def new_order(screen: Annotated[Screen, Depends(screen_of(ORDER_ENTRY))]) -> HTMLResponse:
    return screen.show("app/orders_new.html", _form(Draft(), [], "", "", extra_row=False))


@router.get("/orders/new/customers", response_class=HTMLResponse)
async def matching_customers(
    db: DatabaseDep,
    screen: Annotated[Screen, Depends(screen_of(ORDER_ENTRY))],
    customer_query: str = "",
) -> HTMLResponse:
    """The customers whose name or code holds what was typed (as `GET /customers?q=`)."""
    text = customer_query.strip()[:100]
    found, _ = await db.run(list_customers, MATCHES, 0, text) if text else ([], 0)
    return screen.show("app/orders_customers.html", {"customers": found, "typed": text})


@router.post("/orders/new/preview", response_class=HTMLResponse)
async def preview(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(form_user(ORDER_ENTRY))],
    customer_id: Annotated[str, Form()] = "",
    pick_customer: Annotated[str, Form()] = "",
    customer_query: Annotated[str, Form()] = "",
    requested_date: Annotated[str, Form()] = "",
    add_line: Annotated[str, Form()] = "",
    sku: Typed = None,
    quantity: Typed = None,
    discount_pct: Typed = None,
    unit_price: Typed = None,
) -> Response:
    """The form again with its lines priced and the chosen customer's credit: nothing saved."""
    typed = typed_lines(sku, quantity, discount_pct, unit_price)
    chosen = _customer_id(pick_customer or customer_id)
    priced = await db.run(draft, chosen, typed, date.today())
    context = _form(priced, typed, requested_date, customer_query, extra_row=bool(add_line))
    # Re-priced while typing: only the priced lines are swapped in, so the problems go there.
    context["live"] = request.headers.get("HX-Trigger") == "lines-editor"
    return _show(request, settings, user, context)


@router.post("/orders/new", response_class=HTMLResponse)
async def enter_order(
    request: Request,
    db: DatabaseDep,
    commands: CommandsDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(form_user(ORDER_ENTRY))],
    customer_id: Annotated[str, Form()] = "",
    customer_query: Annotated[str, Form()] = "",
    requested_date: Annotated[str, Form()] = "",
    sku: Typed = None,
    quantity: Typed = None,
    discount_pct: Typed = None,
    unit_price: Typed = None,
) -> Response:
    typed = typed_lines(sku, quantity, discount_pct, unit_price)
    chosen = _customer_id(customer_id)
    priced = await db.run(draft, chosen, typed, date.today())
    context = _form(priced, typed, requested_date, customer_query, extra_row=False)
    fields: dict[str, Any] = {"customer_id": chosen or customer_id, "lines": lines_payload(typed)}
    if requested_date:
        fields["requested_date"] = requested_date
    try:
        order = OrderCreate.model_validate(fields)
    except ValidationError as wrong:
        context["errors"] = {**priced.errors, **field_errors(wrong)}
        if chosen is None:
            context["errors"]["customer_id"] = NO_CUSTOMER
        return _show(request, settings, user, context)
    entered: list[OrderPublic] = []

    async def enter() -> None:
        entered.append(await create_order(order, commands, user))

    problem = await attempt(request, enter())
    if problem is not None:
        context["errors"] = refusal_errors(problem)
        return _show(request, settings, user, context)
    landing = f"/app/orders/{entered[0].id}"
    if not request.headers.get("HX-Request"):
        return RedirectResponse(landing, status_code=303)
    # htmx goes to the order's page; a repeated click is answered with the same link.
    done = render(request, "app/orders_entered.html", settings, user, {"order": entered[0]})
    done.headers["HX-Redirect"] = landing
    return done
