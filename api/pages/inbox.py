"""The approver inbox: the orders waiting for my decision, approved or rejected in one click
through the same workflow Update as the API; a decided row leaves the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

from activities.sales import approvals, orders
from api.pages.access import INBOX, PageDatabase, PageSettings, PageTemporal, form_user
from api.pages.actions import attempt
from api.pages.customer_names import customer_names
from api.pages.rendering import render
from api.pages.screens import Screen, screen_of
from api.routes.sales.orders import decide
from models.fields import IdParam
from models.sales.approvals import ApprovalTaskPublic, TaskStatus
from models.sales.orders import OrderPublic, SalesOrder
from models.security.users import User

router = APIRouter()
PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxRow:
    task: ApprovalTaskPublic
    customer: str
    order: OrderPublic


def inbox_rows(session: Session, user: User, offset: int) -> tuple[list[InboxRow], int]:
    """The API's inbox (`GET /approvals`), with each order's customer and lines beside it."""
    tasks, total = approvals.inbox(session, user, TaskStatus.PENDING, PAGE_SIZE, offset)
    wanted = select(SalesOrder).where(col(SalesOrder.id).in_({t.order_id for t in tasks}))
    found = {o.id: o for o in orders.all_public(session, list(session.exec(wanted).all()))}
    names = customer_names(session, {t.customer_id for t in tasks})
    return [InboxRow(t, names[t.customer_id], found[t.order_id]) for t in tasks], total


@router.get("/inbox", response_class=HTMLResponse)
async def inbox(
    db: PageDatabase, screen: Annotated[Screen, Depends(screen_of(INBOX))], offset: int = 0
) -> HTMLResponse:
    rows, total = await db.run(inbox_rows, screen.user, max(offset, 0))
    context = {"rows": rows, "total": total, "offset": offset, "page_size": PAGE_SIZE}
    return screen.show("app/inbox.html", context)


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
