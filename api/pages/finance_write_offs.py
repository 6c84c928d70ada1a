"""Write-offs waiting for a finance approver: approved or rejected through the same path as
`POST /api/v1/invoices/{id}/write-offs/{write_off_id}/decision` (the invoice's workflow)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from activities.receivables.write_off_queue import waiting_write_offs
from api.deps import CommandsDep, DatabaseDep, SettingsDep, TemporalLinkDep
from api.pages.access import WRITE_OFFS, form_user
from api.pages.form_errors import attempt_at_field
from api.pages.rendering import render
from api.pages.screens import Screen, screen_of
from api.routes.receivables.write_offs import decide
from models.fields import IdParam
from models.receivables.write_offs import WriteOffDecisionRequest
from models.security.users import User

router = APIRouter()
PAGE_SIZE = 50


@router.get("/finance/write-offs", response_class=HTMLResponse)
async def write_offs(
    db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(WRITE_OFFS))], offset: int = 0
) -> HTMLResponse:
    rows, total = await db.run(waiting_write_offs, PAGE_SIZE, max(offset, 0))
    context = {"rows": rows, "total": total, "offset": offset, "page_size": PAGE_SIZE}
    return screen.show("app/finance_write_offs.html", context)


@router.post(
    "/finance/write-offs/{invoice_id}/{write_off_id}/decision", response_class=HTMLResponse
)
async def decision(
    invoice_id: IdParam,
    write_off_id: IdParam,
    request: Request,
    db: DatabaseDep,
    link: TemporalLinkDep,
    commands: CommandsDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(form_user(WRITE_OFFS))],
    verdict: Annotated[Literal["approve", "reject"], Form()],
    comment: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    body = WriteOffDecisionRequest(approve=verdict == "approve", comment=comment.strip() or None)

    async def decided() -> None:
        client = await link.get()
        await decide(db, client, commands, invoice_id, write_off_id, user, body)

    refusal = await attempt_at_field(request, decided())
    if refusal.message is None:
        return HTMLResponse("")  # decided: htmx swaps the row out
    context = {"write_off_id": write_off_id, "problem": refusal.message}
    return render(request, "app/finance_write_off_refused.html", settings, user, context)
