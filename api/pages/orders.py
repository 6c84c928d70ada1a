"""The orders: a list filtered and paged on the server (as `GET /orders`), and each order's page
with the API's order detail (lines, approvals, shipments, invoices), its timeline and a link to
its workflow in the Temporal UI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from activities.master_data.customers import get_customer, list_customers
from activities.reports.order_detail import order_detail
from activities.sales import orders
from activities.sales.amendments import AMENDABLE
from api.pages.access import ORDER_ENTRY, ORDERS, PageDatabase
from api.pages.customer_names import customer_names
from api.pages.form_errors import field_errors
from api.pages.orders_form import TypedLine
from api.pages.orders_labels import order_words
from api.pages.screens import Screen, screen_of
from models.errors import NotFound
from models.fields import IdParam
from models.master_data.customers import Customer, CustomerPublic
from models.money import Amount
from models.sales.order_detail import OrderDetail
from models.sales.order_status import CANCELLABLE, OrderStatus
from models.sales.orders import OrderEventPublic, OrderPublic
from models.security.users import User
from o2c.settings import Settings

router = APIRouter()
PAGE_SIZE = 25
CUSTOMER_CHOICES = 10  # the customers offered as the customer filter is typed


class OrderFilter(BaseModel):
    """The list's filters as query parameters; each given one narrows the list."""

    status: OrderStatus | None = None
    customer_id: IdParam | None = None
    placed_from: date | None = None
    placed_to: date | None = None
    total_min: Amount | None = None
    total_max: Amount | None = None


@dataclass(frozen=True)
class OrderRow:
    order: OrderPublic
    customer: str


@dataclass(frozen=True)
class OrderView:
    order: OrderDetail
    customer: CustomerPublic
    events: list[OrderEventPublic]


def order_rows(
    session: Session, chosen: OrderFilter, offset: int
) -> tuple[list[OrderRow], int, CustomerPublic | None]:
    """A page of the API's order list, each order with its customer's name; and the customer
    filtered by, if one is."""
    found, total = orders.list_orders(
        session,
        PAGE_SIZE,
        offset,
        chosen.status,
        chosen.customer_id,
        placed_from=chosen.placed_from,
        placed_to=chosen.placed_to,
        total_min=chosen.total_min,
        total_max=chosen.total_max,
    )
    names = customer_names(session, {order.customer_id for order in found})
    chosen_one = session.get(Customer, chosen.customer_id) if chosen.customer_id else None
    customer = CustomerPublic.model_validate(chosen_one) if chosen_one else None
    return [OrderRow(order, names[order.customer_id]) for order in found], total, customer


def order_view(session: Session, order_id: int) -> OrderView:
    """The API's order detail (`GET /orders/{id}`) with its customer and timeline."""
    detail = order_detail(session, order_id)
    customer = CustomerPublic.model_validate(get_customer(session, detail.customer_id))
    return OrderView(detail, customer, orders.timeline(session, order_id))


def temporal_ui_link(settings: Settings, workflow_id: str) -> str:
    namespace = settings.temporal_namespace
    return f"{settings.temporal_ui_base}/namespaces/{namespace}/workflows/{workflow_id}"


def order_context(view: OrderView, settings: Settings, user: User, **forms: Any) -> dict[str, Any]:
    """What the order page draws: the order, and the changes this person may try on it (the
    amend form starts from the order's lines; `forms` keeps what was typed and the messages)."""
    may_change = ORDER_ENTRY.allows(user)
    status = view.order.status
    lines = [
        TypedLine(line.sku, str(line.quantity), str(line.discount_pct), str(line.unit_price))
        for line in view.order.lines
    ]
    context: dict[str, Any] = {
        "view": view,
        "temporal_url": temporal_ui_link(settings, view.order.workflow_id),
        "may_amend": may_change and status in AMENDABLE,
        "may_cancel": may_change and status in CANCELLABLE,
        "amend_rows": [*lines, TypedLine()],
        "amend_date": str(view.order.requested_date or ""),
        "cancel_reason": "",
        "errors": {},
        "notice": "",
        **order_words(),
    }
    return {**context, **forms}


def _filter(request: Request) -> tuple[OrderFilter, dict[str, str], dict[str, str]]:
    """The filters asked for, what was typed (kept in the form), and a message per wrong one."""
    typed = {name: request.query_params.get(name, "").strip() for name in OrderFilter.model_fields}
    try:
        return OrderFilter.model_validate({k: v for k, v in typed.items() if v}), typed, {}
    except ValidationError as wrong:
        return OrderFilter(), typed, field_errors(wrong)


@router.get("/orders", response_class=HTMLResponse)
async def order_list(
    request: Request,
    db: PageDatabase,
    screen: Annotated[Screen, Depends(screen_of(ORDERS))],
    offset: int = 0,
) -> HTMLResponse:
    chosen, typed, errors = _filter(request)
    offset = max(offset, 0)
    rows, total, customer = await db.run(order_rows, chosen, offset)
    if errors:
        rows, total = [], 0
    kept = urlencode({k: v for k, v in typed.items() if v})
    context = {
        "rows": rows,
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "typed": typed,
        "errors": errors,
        "customer": customer,
        "statuses": list(OrderStatus),
        "kept": kept,
        **order_words(),
    }
    return screen.show("app/orders_list.html", context)


@router.get("/orders/filter/customers", response_class=HTMLResponse)
async def customer_choices(
    db: PageDatabase, screen: Annotated[Screen, Depends(screen_of(ORDERS))], q: str = ""
) -> HTMLResponse:
    """The customer filter's choices: those whose name or code holds what was typed (as
    `GET /customers?q=`), a few at a time."""
    text = q.strip()
    found, _ = await db.run(list_customers, CUSTOMER_CHOICES, 0, text) if text else ([], 0)
    return screen.show("app/orders_filter_customers.html", {"customers": found, "typed": text})


@router.get("/orders/{order_id}", response_class=HTMLResponse)
async def order_page(
    order_id: IdParam, db: PageDatabase, screen: Annotated[Screen, Depends(screen_of(ORDERS))]
) -> HTMLResponse:
    try:
        view = await db.run(order_view, order_id)
    except NotFound:
        page = screen.show("app/orders_missing.html", {"order_id": order_id})
        page.status_code = 404
        return page
    return screen.show("app/orders_order.html", order_context(view, screen.settings, screen.user))
