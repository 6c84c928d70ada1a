"""A product's details, and the form that creates or changes one through the API's own input
model and route (`POST /products`, `PATCH /products/{id}`): a refusal is shown beside the field
it names, with what was typed kept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from activities.master_data.products import get_product
from api.deps import DatabaseDep, SettingsDep
from api.pages.access import PRODUCTS, Page, form_user
from api.pages.i18n import N_
from api.pages.master_data_form import RecordPage, land_on, save_form
from api.pages.screens import Screen, screen_of
from api.routes.master_data.products import create_product, update_product
from models.fields import IdParam
from models.master_data.products import ProductCreate, ProductPublic, ProductUpdate
from models.security.users import Role, User

router = APIRouter()
# `POST /products` and `PATCH /products/{id}` are for sales and finance.
PRODUCT_EDITORS = Page(
    "products", "/app/products", N_("Products"), frozenset({Role.SALES, Role.FINANCE})
)
PRODUCT_PAGE = RecordPage("product", PRODUCT_EDITORS)
Editor = Annotated[User, Depends(form_user(PRODUCT_EDITORS))]
CHANGEABLE = ("name", "unit", "unit_price", "tax_rate")


def _typed(form: FormData) -> dict[str, str]:
    names = ("sku", *CHANGEABLE, "whole_units")
    return {name: str(form.get(name, ""))[:200] for name in names}


@router.get("/products/new", response_class=HTMLResponse)
async def new_product(
    screen: Annotated[Screen, Depends(screen_of(PRODUCT_EDITORS))],
) -> HTMLResponse:
    return PRODUCT_PAGE.blank(screen, {"unit": "ea", "tax_rate": "0", "whole_units": "on"})


@router.post("/products/new", response_class=HTMLResponse)
async def create(
    request: Request, db: DatabaseDep, settings: SettingsDep, user: Editor
) -> Response:
    typed = _typed(await request.form())
    sent = {k: v for k, v in typed.items() if v.strip() and k != "whole_units"}
    whole_units = bool(typed["whole_units"])
    made, errors = await save_form(
        request,
        ProductCreate,
        {**sent, "whole_units": whole_units},
        lambda body: create_product(body, db),
    )
    if made is not None:
        return land_on("/app/products")
    return PRODUCT_PAGE.refused(request, settings, user, None, typed, errors)


@router.get("/products/{product_id}", response_class=HTMLResponse)
async def product_details(
    product_id: IdParam, db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(PRODUCTS))]
) -> HTMLResponse:
    product = ProductPublic.model_validate(await db.run(get_product, product_id))
    values = product.model_dump(mode="json")
    values["whole_units"] = "on" if product.whole_units else ""
    return await PRODUCT_PAGE.details(screen, db, product_id, product, values)


@router.post("/products/{product_id}", response_class=HTMLResponse)
async def change(
    product_id: IdParam, request: Request, db: DatabaseDep, settings: SettingsDep, user: Editor
) -> Response:
    product = ProductPublic.model_validate(await db.run(get_product, product_id))
    typed = _typed(await request.form())
    sent = {name: typed[name] for name in CHANGEABLE}
    changed, errors = await save_form(
        request, ProductUpdate, sent, lambda body: update_product(product_id, body, db)
    )
    if changed is not None:
        return land_on("/app/products")
    values = {
        **typed,
        "sku": product.sku,
        "whole_units": "on" if product.whole_units else "",
    }
    return PRODUCT_PAGE.refused(request, settings, user, product, values, errors)
