"""The orders: a list filtered and paged on the server (as `GET /orders`), and each order's page
with the API's order detail (lines, approvals, shipments, invoices), its timeline and a link to
its workflow in the Temporal UI."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Annotated, Any, NamedTuple, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import ColumnElement, Connection, Row, Table, bindparam, func, select
from sqlmodel import Session

from activities.master_data.customers import list_customers
from activities.sales.amendments import AMENDABLE
from api.deps import get_settings_dep
from api.pages import formats
from api.pages.access import ORDER_ENTRY, ORDERS, PageDatabase
from api.pages.form_errors import field_errors
from api.pages.i18n import known
from api.pages.orders_detail import order_page_rows
from api.pages.orders_form import TypedLine
from api.pages.orders_labels import escaped_labels, order_words, status_options
from api.pages.screens import Drawing, Screen, rows_shown, screen_of
from models.errors import NotFound
from models.fields import IdParam
from models.master_data.customers import Customer
from models.money import Amount
from models.sales.order_status import CANCELLABLE, OrderStatus
from models.sales.orders import SalesOrder
from models.security.users import User
from o2c.settings import Settings

router = APIRouter()
PAGE_SIZE = 25
CUSTOMER_CHOICES = 10  # the customers offered as the customer filter is typed
# The deepest page whose rows the list reads on the event loop on SQLite (`bounded_list`): its
# rows are walked newest first by primary key up to the page, so their cost grows with it.
BOUNDED_OFFSET = 100 * PAGE_SIZE
# The columns the list shows.
ORDER: Table = SalesOrder.__table__  # type: ignore[attr-defined]
CUSTOMER: Table = Customer.__table__  # type: ignore[attr-defined]
LISTED = ("id", "number", "status", "order_date", "requested_date", "total", "currency")
# The list's two statements, built once (building them cost more than running them): every
# request runs them as they are, a filter adds its conditions to a copy.
COUNTED = select(func.count()).select_from(ORDER)
SHOWN = (
    select(*(ORDER.c[name] for name in LISTED), CUSTOMER.c.name.label("customer"))
    .join_from(ORDER, CUSTOMER, CUSTOMER.c.id == ORDER.c.customer_id)
    .order_by(ORDER.c.id.desc())
    .limit(PAGE_SIZE)
    .offset(bindparam("offset"))
)
CHOSEN = select(CUSTOMER.c.id, CUSTOMER.c.name, CUSTOMER.c.code).where(
    CUSTOMER.c.id == bindparam("id")
)


class ListedOrder(NamedTuple):
    """An order as the list shows it, in the order the list's query reads its columns; its total
    as stored (`table_rows` writes it as the API gives it, `Amount`: two places)."""

    id: int
    number: str
    status: OrderStatus
    order_date: date
    requested_date: date | None
    total: Decimal
    currency: str
    customer: str


# A row of the list's table, written in Python with its cells escaped: in the template's loop
# each row's nine outputs were escaped and yielded one by one (~0.18 ms a draw of 25 rows).
ROW_HTML = (
    '    <tr data-order="{1}">\n'
    '      <td><a href="/app/orders/{0}">{1}</a></td>\n'
    "      <td>{2}</td>\n"
    '      <td><span class="status status-{3}">{4}</span></td>\n'
    "      <td>{5}</td>\n"
    "      <td>{6}</td>\n"
    '      <td class="num">{7}</td>\n'
    "    </tr>\n"
)
STATUS_CODES = frozenset(status.value for status in OrderStatus)
MARKUP = re.compile("[&<>\"']").search  # what `escape` replaces
OFFSET = TypeAdapter(int)
API_PLACES = Decimal("0.01")  # the API's `Amount`: two places, half-up (models.money.quantize)


def _escaped(text: str) -> str:
    """`text` as markupsafe's `escape` writes it; an order's number or a name seldom holds a
    character to escape, and looking for one costs a third of escaping."""
    return text if MARKUP(text) is None else str(escape(text))


def table_rows(rows: Iterable[ListedOrder], language: str) -> Markup:
    """The table's rows as HTML, in one pass over the rows as read: what people typed (the
    order's number, the customer's name) escaped, the state's word escaped once per language;
    the id, the state's code, the dates and the amount are written by o2c's own formatters
    (digits, separators, month names, ISO codes) and carry nothing to escape. (Each row made
    into an object, then into its cells, then into HTML cost ~9 µs a row; one pass ~4 µs.)"""
    labels = escaped_labels(language)
    day, money = formats.day, formats.money
    return Markup(
        "".join(
            [
                ROW_HTML.format(
                    order_id,
                    _escaped(number),
                    _escaped(customer),
                    status,  # a StrEnum: written as its code
                    labels[status],
                    day(placed, language),
                    day(requested, language),
                    money(total.quantize(API_PLACES, ROUND_HALF_UP), currency, language),
                )
                for order_id, number, status, placed, requested, total, currency, customer in rows
            ]
        )
    )


class OrderFilter(BaseModel):
    """The list's filters as query parameters; each given one narrows the list."""

    status: OrderStatus | None = None
    customer_id: IdParam | None = None
    placed_from: date | None = None
    placed_to: date | None = None
    total_min: Amount | None = None
    total_max: Amount | None = None


@dataclass(frozen=True)
class OrderView:
    """What an order's page shows: the order's rows (`orders_detail`), its customer's name and
    code (read without their personal data, which is decrypted on every read), its timeline."""

    order: SimpleNamespace
    customer: SimpleNamespace
    events: list[Row[Any]]


def order_rows(
    connection: Connection, chosen: OrderFilter, offset: int
) -> tuple[list[ListedOrder], int]:
    """A page of the API's order list (`GET /orders`: newest first, each filter given narrows
    it, order dates and totals inclusive), each order with its customer's name: the columns the
    list shows, read in one query, and the count (the same filter, counted on the table itself,
    which an index answers, not on a subquery of the rows)."""
    order = ORDER
    wanted: list[ColumnElement[bool]] = []
    if chosen.status:
        wanted.append(order.c.status == chosen.status)
    if chosen.customer_id:
        wanted.append(order.c.customer_id == chosen.customer_id)
    if chosen.placed_from is not None:
        wanted.append(order.c.order_date >= chosen.placed_from)
    if chosen.placed_to is not None:
        wanted.append(order.c.order_date <= chosen.placed_to)
    if chosen.total_min is not None:
        wanted.append(order.c.total >= chosen.total_min)
    if chosen.total_max is not None:
        wanted.append(order.c.total <= chosen.total_max)
    read = connection.execute
    counted, shown = (COUNTED.where(*wanted), SHOWN.where(*wanted)) if wanted else (COUNTED, SHOWN)
    total = read(counted).scalar_one()
    # The rows as read, in `ListedOrder`'s order (`table_rows` unpacks them): made into objects
    # first, they cost the list ~4 µs a row.
    listed = read(shown, {"offset": offset}).all()
    return cast(list[ListedOrder], listed), total


def chosen_customer(connection: Connection, chosen: OrderFilter) -> Row[Any, Any, Any] | None:
    """The customer the list is filtered by, if one is: what the filter shows of them (their
    id, name and code), not their personal data, which is decrypted on every read."""
    if not chosen.customer_id:
        return None
    return connection.execute(CHOSEN, {"id": chosen.customer_id}).first()


def order_view(session: Session, order_id: int) -> OrderView:
    """What the API's order detail (`GET /orders/{id}`) gives of what the page shows, with the
    order's customer and timeline."""
    return order_view_on(session.connection(), order_id)


def order_view_on(connection: Connection, order_id: int) -> OrderView:
    """`order_view`, read on a connection (plain queries, no ORM)."""
    order, customer = order_page_rows(connection, order_id)
    return OrderView(order, customer, order.events)


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


def bounded_list(chosen: OrderFilter, offset: int) -> bool:
    """Whether the list's reads are bounded by an index whatever the table holds, so that they
    may run on the event loop on SQLite (`screens.read_for`): no filter or only the customer's
    (the count on an index, the page by primary key or by the customer's index, newest first,
    up to a page not deeper than `BOUNDED_OFFSET`). A status filter's count walks every order
    of that status (3.5 ms at 100,000 orders), a date or amount filter scans the table: those
    keep the worker thread."""
    unbounded = chosen.model_dump(exclude={"customer_id"}, exclude_none=True)
    return not unbounded and offset <= BOUNDED_OFFSET


def _filter(request: Request) -> tuple[OrderFilter, dict[str, str], dict[str, str]]:
    """The filters asked for, what was typed (kept in the form), and a message per wrong one."""
    typed = {name: request.query_params.get(name, "").strip() for name in OrderFilter.model_fields}
    try:
        return OrderFilter.model_validate({k: v for k, v in typed.items() if v}), typed, {}
    except ValidationError as wrong:
        return OrderFilter(), typed, field_errors(wrong)


def _offset(request: Request) -> int:
    """The page asked for (`offset`, an integer, as FastAPI reads a query parameter: a 422 for
    anything else), from 0."""
    given = request.query_params.get("offset")
    if given is None:
        return 0
    try:
        return max(OFFSET.validate_python(given), 0)
    except ValidationError as wrong:
        errors = wrong.errors(include_url=False)
        raise RequestValidationError([{**e, "loc": ("query", "offset")} for e in errors]) from None


async def order_list(request: Request) -> HTMLResponse:
    chosen, typed, errors = _filter(request)
    offset = _offset(request)
    kept = urlencode({k: v for k, v in typed.items() if v})

    is_status = typed["status"] in STATUS_CODES

    def read(connection: Connection, user: User) -> Drawing:
        rows, total = ([], 0) if errors else order_rows(connection, chosen, offset)
        language = known(user.language)
        context = {
            "rows": table_rows(rows, language),
            "total": total,
            "offset": offset,
            "page_size": PAGE_SIZE,
            "typed": typed,
            "errors": errors,
            "customer": chosen_customer(connection, chosen),
            # What was typed, if a state's code, is the choice selected (as many kept as states).
            "status_options": status_options(language, typed["status"] if is_status else ""),
            "kept": kept,
        }
        return Drawing("app/orders_list.html", context)

    return await rows_shown(request, ORDERS, read, bounded=bounded_list(chosen, offset))


# A plain route: the list takes only the request (its filters and page read off the query as
# above), and FastAPI's own work per request (its exit stacks, the dependencies solved, a
# response made for them) was ~0.07 ms of a list that takes ~0.8.
router.add_route("/orders", order_list, methods=["GET"], include_in_schema=False)


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
async def order_page(request: Request, order_id: IdParam) -> HTMLResponse:
    settings = get_settings_dep(request)

    def read(connection: Connection, user: User) -> Drawing:
        try:
            view = order_view_on(connection, order_id)
        except NotFound:
            return Drawing("app/orders_missing.html", {"order_id": order_id}, 404)
        return Drawing("app/orders_order.html", order_context(view, settings, user))

    # Its rows by primary key and by the order's id through an index: bounded by one order.
    return await rows_shown(request, ORDERS, read, bounded=True)
