"""The approver inbox: the orders waiting for my decision, approved or rejected in one click
through the same workflow Update as the API; a decided row leaves the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Table, bindparam, select
from sqlmodel import Session

from activities.sales import approvals
from api.pages.access import INBOX, PageDatabase, PageSettings, PageTemporal, form_user
from api.pages.actions import attempt
from api.pages.rendering import render
from api.pages.screens import Drawing, shown
from api.routes.sales.orders import decide
from models.fields import IdParam
from models.master_data.customers import Customer
from models.money import quantize
from models.sales.approvals import ApprovalTaskPublic, TaskStatus
from models.sales.orders import OrderLine, SalesOrder
from models.security.users import User

router = APIRouter()
PAGE_SIZE = 50


ORDER: Table = SalesOrder.__table__  # type: ignore[attr-defined]
LINE: Table = OrderLine.__table__  # type: ignore[attr-defined]
CUSTOMER: Table = Customer.__table__  # type: ignore[attr-defined]
LINE_COLUMNS = ("order_id", "sku", "description", "quantity", "unit_price", "total")
# The orders' heads with their customers' names, and their lines: built once, run per page.
HEADS = (
    select(ORDER.c.id, ORDER.c.number, ORDER.c.total, ORDER.c.currency, ORDER.c.order_date)
    .add_columns(CUSTOMER.c.name)
    .join_from(ORDER, CUSTOMER, CUSTOMER.c.id == ORDER.c.customer_id)
    .where(ORDER.c.id.in_(bindparam("ids", expanding=True)))
)
LINES = (
    select(*(LINE.c[name] for name in LINE_COLUMNS))
    .where(LINE.c.order_id.in_(bindparam("ids", expanding=True)))
    .order_by(LINE.c.order_id, LINE.c.line_no)
)


@dataclass(frozen=True, slots=True)
class InboxLine:
    """A line as the inbox shows it; amounts as the API gives them (`Amount`: two places)."""

    sku: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    total: Decimal


@dataclass(frozen=True)
class InboxOrder:
    """What a row shows of its order: its number, total and date, and its lines."""

    number: str
    total: Decimal
    currency: str
    order_date: date
    lines: list[InboxLine]


@dataclass(frozen=True)
class InboxRow:
    task: ApprovalTaskPublic
    customer: str
    order: InboxOrder


def inbox_rows(session: Session, user: User, offset: int) -> tuple[list[InboxRow], int]:
    """The API's inbox (`GET /approvals`), with each order's customer and lines beside it: the
    columns shown, read for the whole page at once (the orders with their customers' names in
    one query, the lines in another)."""
    tasks, total = approvals.inbox(session, user, TaskStatus.PENDING, PAGE_SIZE, offset)
    if not tasks:
        return [], total
    ids = list({task.order_id for task in tasks})
    read = session.connection().execute
    heads = read(HEADS, {"ids": ids}).all()
    lines: dict[int, list[InboxLine]] = {order_id: [] for order_id in ids}
    for line in read(LINES, {"ids": ids}):
        price, amount = quantize(line.unit_price), quantize(line.total)
        lines[line.order_id].append(
            InboxLine(line.sku, line.description, line.quantity, price, amount)
        )
    found = {
        head.id: (
            head.name,
            InboxOrder(
                head.number, quantize(head.total), head.currency, head.order_date, lines[head.id]
            ),
        )
        for head in heads
    }
    return [InboxRow(task, *found[task.order_id]) for task in tasks], total


@router.get("/inbox", response_class=HTMLResponse)
async def inbox(request: Request, offset: int = 0) -> HTMLResponse:
    def read(session: Session, user: User) -> Drawing:
        rows, total = inbox_rows(session, user, max(offset, 0))
        context = {"rows": rows, "total": total, "offset": offset, "page_size": PAGE_SIZE}
        return Drawing("app/inbox.html", context)

    return await shown(request, INBOX, read)


@router.post("/inbox/{order_id}/decision", response_class=HTMLResponse)
async def decision(
    order_id: IdParam,
    request: Request,
    db: PageDatabase,
    link: PageTemporal,
    settings: PageSettings,
    user: Annotated[User, Depends(form_user(INBOX))],
    verdict: Annotated[Literal["approve", "reject"], Form()],
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    async def decided() -> None:
        client = await link.get()
        await decide(db, client, order_id, user, verdict == "approve", comment.strip() or None)

    problem = await attempt(request, decided())
    if problem is None:
        return HTMLResponse("")  # accepted: htmx swaps the row out
    context = {"order_id": order_id, "problem": problem}
    return render(request, "app/inbox_refused.html", settings, user, context)
