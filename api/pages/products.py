"""The products list, paged on the server as `GET /products` pages; everyone may read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from activities.master_data.products import list_products
from api.deps import DatabaseDep
from api.pages.access import PRODUCTS
from api.pages.products_form import PRODUCT_EDITORS
from api.pages.screens import Screen, screen_of
from models.fields import MAX_ID

router = APIRouter()
PAGE_SIZE = 50


@router.get("/products", response_class=HTMLResponse)
async def products(
    db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(PRODUCTS))], offset: int = 0
) -> HTMLResponse:
    offset = min(max(offset, 0), MAX_ID)
    found, total = await db.run(list_products, PAGE_SIZE, offset)
    context = {
        "products": found,
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "can_edit": PRODUCT_EDITORS.allows(screen.user),
    }
    return screen.show("app/products.html", context)
