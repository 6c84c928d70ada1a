"""What the warehouse does to a shipment from its page: dispatch it with carrier, tracking number
and ETA, record it delivered, receive a return; each through the API's own route function, so
the rules and their refusals are the API's. Done: the row says so. Refused: the form says why
and keeps what was typed."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from activities.fulfilment.shipments import shipment_public
from api.deps import CommandsDep, DatabaseDep, FulfilmentSettingsDep, SettingsDep
from api.pages.access import WAREHOUSE, form_user
from api.pages.actions import attempt
from api.pages.form_errors import read_form
from api.pages.rendering import render
from api.pages.warehouse import STATES, shipment_row
from api.routes.fulfilment.shipments import deliver, dispatch, record_return
from models.fields import IdParam
from models.fulfilment.returns import ReturnCreate
from models.fulfilment.shipments import DeliverRequest, DispatchRequest
from models.security.users import User

router = APIRouter()
Clerk = Annotated[User, Depends(form_user(WAREHOUSE))]
Text = Annotated[str, Form(max_length=2000)]


async def _row(
    request: Request, db: DatabaseDep, settings: SettingsDep, user: User, shipment_id: int
) -> Response:
    """The shipment's row as it is now, in place of the one the person acted on."""
    shipment = await db.run(shipment_public, shipment_id)
    row = await db.run(shipment_row, shipment, date.today())
    headers = {"HX-Retarget": f"#shipment-{shipment_id}", "HX-Reswap": "outerHTML"}
    response = render(
        request, "app/warehouse_row.html", settings, user, {"row": row, "states": STATES}
    )
    response.headers.update(headers)
    return response


def _form(
    request: Request, settings: SettingsDep, user: User, template: str, context: dict[str, Any]
) -> Response:
    return render(request, f"app/{template}", settings, user, context)


@router.post("/warehouse/{shipment_id}/dispatch", response_class=HTMLResponse)
async def dispatch_shipment(
    shipment_id: IdParam,
    request: Request,
    db: DatabaseDep,
    commands: CommandsDep,
    settings: SettingsDep,
    user: Clerk,
    carrier: Text = "",
    tracking_number: Text = "",
    eta: Text = "",
) -> Response:
    values = {"carrier": carrier, "tracking_number": tracking_number, "eta": eta}
    body, errors = read_form(DispatchRequest, {k: v or None for k, v in values.items()})
    problem = None
    if body is not None:
        problem = await attempt(request, dispatch(shipment_id, body, commands, user))
        if problem is None:
            return await _row(request, db, settings, user, shipment_id)
    context = {"id": shipment_id, "values": values, "errors": errors, "problem": problem}
    return _form(request, settings, user, "warehouse_dispatch_form.html", context)


@router.post("/warehouse/{shipment_id}/deliver", response_class=HTMLResponse)
async def deliver_shipment(
    shipment_id: IdParam,
    request: Request,
    db: DatabaseDep,
    commands: CommandsDep,
    settings: SettingsDep,
    user: Clerk,
) -> Response:
    problem = await attempt(request, deliver(shipment_id, DeliverRequest(), commands, user))
    if problem is None:
        return await _row(request, db, settings, user, shipment_id)
    context = {"id": shipment_id, "problem": problem}
    return _form(request, settings, user, "warehouse_deliver_form.html", context)


@router.post("/warehouse/{shipment_id}/returns", response_class=HTMLResponse)
async def receive_return(
    shipment_id: IdParam,
    request: Request,
    db: DatabaseDep,
    commands: CommandsDep,
    settings: SettingsDep,
    fulfilment: FulfilmentSettingsDep,
    user: Clerk,
    reason: Text = "",
) -> Response:
    form = await request.form()
    quantities = {
        str(key)[len("quantity:") :]: str(value).strip()
        for key, value in form.multi_items()
        if str(key).startswith("quantity:")
    }
    lines = [{"sku": sku, "quantity": q} for sku, q in quantities.items() if q not in ("", "0")]
    body, errors = read_form(ReturnCreate, {"lines": lines, "reason": reason.strip() or None})
    problem = None
    if body is not None:
        problem = await attempt(
            request, record_return(shipment_id, body, commands, user, fulfilment)
        )
        if problem is None:
            return await _row(request, db, settings, user, shipment_id)
    row = await db.run(shipment_row, await db.run(shipment_public, shipment_id), date.today())
    context = {
        "row": row,
        "states": STATES,
        "quantities": quantities,
        "reason": reason,
        "errors": errors,
        "problem": problem,
    }
    return _form(request, settings, user, "warehouse_return_form.html", context)
