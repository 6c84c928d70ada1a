"""The customers list: searched by name or code, paged on the server as `GET /customers` pages;
each links to its details and its credit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from activities.master_data.customers import list_customers
from api.deps import DatabaseDep
from api.pages.access import CUSTOMERS
from api.pages.customers_form import CUSTOMER_EDITORS
from api.pages.screens import Screen, screen_of
from models.fields import MAX_ID

router = APIRouter()
PAGE_SIZE = 50


@router.get("/customers", response_class=HTMLResponse)
async def customers(
    db: DatabaseDep,
    screen: Annotated[Screen, Depends(screen_of(CUSTOMERS))],
    q: str = "",
    offset: int = 0,
) -> HTMLResponse:
    offset = min(max(offset, 0), MAX_ID)
    search = q.strip()[:200]
    found, total = await db.run(list_customers, PAGE_SIZE, offset, search or None)
    context = {
        "customers": found,
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "q": search,
        "can_edit": CUSTOMER_EDITORS.allows(screen.user),
    }
    return screen.show("app/customers.html", context)
