"""Amending and cancelling an order from its page, through the same routes' code as `PATCH
/orders/{id}` and `POST /orders/{id}/cancel` (the workflow's Updates): the page shows the order
as it now is, and a refusal says why next to the form, keeping what was typed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from api.deps import DatabaseDep, SettingsDep, TemporalLinkDep
from api.pages.access import ORDER_ENTRY, form_user
from api.pages.actions import attempt
from api.pages.form_errors import field_errors
from api.pages.i18n import N_
from api.pages.orders import order_context, order_view
from api.pages.orders_form import (
    TypedLine,
    lines_payload,
    refusal_errors,
    typed_lines,
)
from api.pages.rendering import render
from api.routes.sales.orders import amend_order, cancel
from models.fields import IdParam
from models.sales.order_requests import OrderAmend
from models.sales.orders import CancelRequest
from models.security.users import User

router = APIRouter()
Typed = Annotated[list[str] | None, Form()]
AMENDED = N_("The order was amended; it goes through the credit check and approval again.")
CANCELLED = N_("The order was cancelled.")


async def _order_body(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    user: User,
    order_id: int,
    **forms: Any,
) -> HTMLResponse:
    """The order as it is now, swapped in for the page's body."""
    view = await db.run(order_view, order_id)
    context = order_context(view, settings, user, **forms)
    return render(request, "app/orders_order_body.html", settings, user, context)


@router.post("/orders/{order_id}/cancel", response_class=HTMLResponse)
async def cancel_order(
    order_id: IdParam,
    request: Request,
    db: DatabaseDep,
    link: TemporalLinkDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(form_user(ORDER_ENTRY))],
    reason: Annotated[str, Form()] = "",
) -> HTMLResponse:
    try:
        body = CancelRequest.model_validate({"reason": reason})
    except ValidationError as wrong:
        errors = field_errors(wrong)
        return await _order_body(
            request, db, settings, user, order_id, cancel_reason=reason, errors=errors
        )

    async def cancelled() -> None:
        await cancel(order_id, body, db, await link.get(), user)

    problem = await attempt(request, cancelled())
    if problem is not None:
        errors = {"reason": problem}
        return await _order_body(
            request, db, settings, user, order_id, cancel_reason=reason, errors=errors
        )
    return await _order_body(request, db, settings, user, order_id, notice=CANCELLED)


@router.post("/orders/{order_id}/amend", response_class=HTMLResponse)
async def amend(
    order_id: IdParam,
    request: Request,
    db: DatabaseDep,
    link: TemporalLinkDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(form_user(ORDER_ENTRY))],
    requested_date: Annotated[str, Form()] = "",
    sku: Typed = None,
    quantity: Typed = None,
    discount_pct: Typed = None,
    unit_price: Typed = None,
) -> HTMLResponse:
    typed = typed_lines(sku, quantity, discount_pct, unit_price)
    kept = {"amend_rows": [*typed, TypedLine()], "amend_date": requested_date}
    fields: dict[str, Any] = {"lines": lines_payload(typed)}
    if requested_date:
        fields["requested_date"] = requested_date
    try:
        body = OrderAmend.model_validate(fields)
    except ValidationError as wrong:
        errors = field_errors(wrong)
        return await _order_body(request, db, settings, user, order_id, errors=errors, **kept)

    async def amended() -> None:
        await amend_order(order_id, body, db, await link.get(), user)

    problem = await attempt(request, amended())
    if problem is not None:
        errors = refusal_errors(problem)
        return await _order_body(request, db, settings, user, order_id, errors=errors, **kept)
    return await _order_body(request, db, settings, user, order_id, notice=AMENDED)
