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
from api.deps import CommandsDep, Database, DatabaseDep, SettingsDep
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


def lines_typed(
    sku: Typed = None, quantity: Typed = None, discount_pct: Typed = None, unit_price: Typed = None
) -> list[TypedLine]:
    """The order lines a form sent, as typed (read by FastAPI as a dependency)."""
    return typed_lines(sku, quantity, discount_pct, unit_price)


LinesTyped = Annotated[list[TypedLine], Depends(lines_typed)]


class OrderForm:
    """What the order form sent (read by FastAPI as a dependency): the customer, the requested
    date and the lines as typed."""

    def __init__(
        self,
        lines: LinesTyped,
        customer_id: Annotated[str, Form()] = "",
        customer_query: Annotated[str, Form()] = "",
        requested_date: Annotated[str, Form()] = "",
    ) -> None:
        self.customer_id = customer_id
        self.customer_query = customer_query
        self.requested_date = requested_date
        self.lines = lines

    async def priced(
        self, db: Database, chosen: int | None, extra_row: bool
    ) -> tuple[Draft, dict[str, Any]]:
        """The lines priced for the `chosen` customer (nothing saved), and the form showing them."""
        priced = await db.run(draft, chosen, self.lines, date.today())
        return priced, self.shown(priced, extra_row)

    def shown(self, draft_: Draft, extra_row: bool) -> dict[str, Any]:
        rows = list(self.lines)
        if extra_row or not rows:
            rows.append(TypedLine())
        return {
            "draft": draft_,
            "rows": rows,
            "requested_date": self.requested_date,
            "customer_query": self.customer_query,
            "errors": draft_.errors,
        }


Sent = Annotated[OrderForm, Depends()]
Enterer = Annotated[User, Depends(form_user(ORDER_ENTRY))]


def _show(request: Request, settings: SettingsDep, user: User, context: dict[str, Any]) -> Response:
    """The form alone for htmx, which swaps it in; the whole page for a plain form post."""
    template = "app/orders_new_form.html" if request.headers.get("HX-Request") else None
    return render(request, template or "app/orders_new.html", settings, user, context)


@router.get("/orders/new", response_class=HTMLResponse)
async def new_order(screen: Annotated[Screen, Depends(screen_of(ORDER_ENTRY))]) -> HTMLResponse:
    return screen.show("app/orders_new.html", OrderForm([]).shown(Draft(), extra_row=False))


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
    user: Enterer,
    sent: Sent,
    pick_customer: Annotated[str, Form()] = "",
    add_line: Annotated[str, Form()] = "",
) -> Response:
    """The form again with its lines priced and the chosen customer's credit: nothing saved."""
    chosen = _customer_id(pick_customer or sent.customer_id)
    _, context = await sent.priced(db, chosen, extra_row=bool(add_line))
    # Re-priced while typing: only the priced lines are swapped in, so the problems go there.
    context["live"] = request.headers.get("HX-Trigger") == "lines-editor"
    return _show(request, settings, user, context)


@router.post("/orders/new", response_class=HTMLResponse)
async def enter_order(
    request: Request,
    db: DatabaseDep,
    commands: CommandsDep,
    settings: SettingsDep,
    user: Enterer,
    sent: Sent,
) -> Response:
    chosen = _customer_id(sent.customer_id)
    priced, context = await sent.priced(db, chosen, extra_row=False)
    fields: dict[str, Any] = {
        "customer_id": chosen or sent.customer_id,
        "lines": lines_payload(sent.lines),
    }
    if sent.requested_date:
        fields["requested_date"] = sent.requested_date
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
