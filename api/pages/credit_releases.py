"""A credit manager's answer to a hold, from the holds queue: release with a comment (an order
or a shipment), or cancel the order, each through the API's own path to the workflow Update.
Accepted: the row leaves. Refused: the form says why and keeps the comment."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import DatabaseDep, SettingsDep, TemporalLinkDep
from api.pages.access import CREDIT_HOLDS, Page, PageForbidden, form_user
from api.pages.actions import attempt
from api.pages.form_errors import read_form
from api.pages.i18n import N_
from api.pages.rendering import render
from api.routes.fulfilment.shipments import release_shipment_hold
from api.routes.sales.orders import cancel_order, release_order_hold
from models.fields import IdParam
from models.fulfilment.shipments import ReleaseShipmentRequest
from models.sales.orders import CancelRequest, ReleaseHoldRequest
from models.security.users import Role, User

router = APIRouter()
# The API lets a rep cancel an order (`POST /orders/{id}/cancel`), not a credit manager alone.
CANCELLERS = Page("order-cancel", "/app/credit/holds", N_("Cancel"), frozenset({Role.SALES}))
Manager = Annotated[User, Depends(form_user(CREDIT_HOLDS))]
Comment = Annotated[str, Form(max_length=2000)]


def row_leaves(row_id: str) -> Response:
    """Accepted: htmx takes the whole row out of the queue."""
    return HTMLResponse("", headers={"HX-Retarget": f"#{row_id}", "HX-Reswap": "outerHTML"})


def _form_again(
    request: Request,
    settings: SettingsDep,
    user: User,
    action: str,
    comment: str,
    problem: str | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    context = {
        "action": action,
        "comment": comment,
        "problem": problem,
        "errors": errors or {},
        "can_cancel": "/orders/" in action and CANCELLERS.allows(user),
    }
    return render(request, "app/credit_hold_form.html", settings, user, context)


@router.post("/credit/holds/orders/{order_id}", response_class=HTMLResponse)
async def answer_order_hold(
    order_id: IdParam,
    request: Request,
    db: DatabaseDep,
    link: TemporalLinkDep,
    settings: SettingsDep,
    user: Manager,
    verdict: Annotated[Literal["release", "cancel"], Form()],
    comment: Comment = "",
) -> Response:
    action = f"/app/credit/holds/orders/{order_id}"
    if verdict == "cancel" and not CANCELLERS.allows(user):
        raise PageForbidden(N_("This page is not open to your roles."))
    release, errors = read_form(ReleaseHoldRequest, {"comment": comment})
    cancel, refusal = read_form(CancelRequest, {"reason": comment})
    if verdict == "cancel":
        errors = {"comment": refusal["reason"]} if "reason" in refusal else refusal
    if errors:
        return _form_again(request, settings, user, action, comment, errors=errors)

    async def answered() -> None:
        client = await link.get()
        if verdict == "release" and release is not None:
            await release_order_hold(db, client, order_id, user, release.comment)
        elif cancel is not None:
            await cancel_order(db, client, order_id, user, cancel.reason)

    problem = await attempt(request, answered())
    if problem is None:
        return row_leaves(f"held-order-{order_id}")
    return _form_again(request, settings, user, action, comment, problem=problem)


@router.post("/credit/holds/shipments/{shipment_id}", response_class=HTMLResponse)
async def release_shipment(
    shipment_id: IdParam,
    request: Request,
    db: DatabaseDep,
    link: TemporalLinkDep,
    settings: SettingsDep,
    user: Manager,
    comment: Comment = "",
) -> Response:
    action = f"/app/credit/holds/shipments/{shipment_id}"
    release, errors = read_form(ReleaseShipmentRequest, {"comment": comment})
    if release is None:
        return _form_again(request, settings, user, action, comment, errors=errors)

    async def released() -> None:
        await release_shipment_hold(db, await link.get(), shipment_id, user, release.comment)

    problem = await attempt(request, released())
    if problem is None:
        return row_leaves(f"held-shipment-{shipment_id}")
    return _form_again(request, settings, user, action, comment, problem=problem)
