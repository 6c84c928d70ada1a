"""A collector's worklist: my open tasks ranked as the API ranks them, each with whom to call and
the SLA; a task's page with every outcome logged, where a call, a promise to pay, a dispute or
a note is recorded through the same Update as `POST /api/v1/collection-tasks/{id}/outcome`."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlmodel import Session

from activities.collection import worklist as worklist_use_cases
from activities.receivables.invoices import get_invoice
from api.deps import get_settings_dep
from api.pages.access import WORKLIST, PageDatabase, PageSettings, PageTemporal, form_user
from api.pages.finance_forms import as_input
from api.pages.form_errors import attempt_at_field, field_errors
from api.pages.i18n import N_
from api.pages.rendering import render
from api.pages.screens import Screen, read_for, screen_of
from api.routes.collection.tasks import log_outcome
from api.temporal_link import TemporalUnavailable
from models.collection.tasks import Outcome, OutcomeRequest
from models.collection.worklist import WorklistEntry
from models.fields import IdParam
from models.security.users import User
from models.workflow_ids import invoice_workflow_id
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow

router = APIRouter()
PAGE_SIZE = 50
FIELDS = ("outcome", "note", "promised_date", "amount", "follow_up_on")
# What a collector can log, as they say it.
OUTCOMES = {
    Outcome.CONTACTED: N_("Called: reached them"),
    Outcome.NO_ANSWER: N_("Called: no answer"),
    Outcome.PROMISE: N_("Promise to pay"),
    Outcome.DISPUTE: N_("Dispute"),
    Outcome.ESCALATE: N_("Escalate to a manager"),
    Outcome.RESOLVED: N_("Resolved"),
}


async def sla_due(link: PageTemporal, entries: list[WorklistEntry]) -> dict[int, datetime]:
    """When each task's SLA falls (a reminder, then escalation), as its invoice's collection
    workflow keeps it; a task whose workflow does not answer shows none, and the page still
    shows. The workflows are asked all at once: a page of 50 asked one after the other waited
    for 50 round trips to Temporal."""
    try:
        client = await link.get()
    except TemporalUnavailable:
        return {}

    async def asked(entry: WorklistEntry) -> datetime | None:
        handle = client.get_workflow_handle(invoice_workflow_id(entry.task.invoice_id))
        try:
            view = await handle.query(InvoiceCollectionWorkflow.collection)
        except Exception:  # not found, failed or unreachable: the SLA is just not known
            return None
        return view.sla_due

    answers = await asyncio.gather(*(asked(entry) for entry in entries))
    found = zip(entries, answers, strict=True)
    return {entry.task.id: when for entry, when in found if when is not None}


@router.get("/worklist", response_class=HTMLResponse)
async def worklist(request: Request, link: PageTemporal, offset: int = 0) -> HTMLResponse:
    def read(session: Session, user: User) -> tuple[list[WorklistEntry], int]:
        today = date.today()
        return worklist_use_cases.worklist(session, user.username, PAGE_SIZE, max(offset, 0), today)

    user, (entries, total) = await read_for(request, WORKLIST, read)
    context = {
        "entries": entries,
        "due": await sla_due(link, entries),
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
    }
    return render(request, "app/worklist.html", get_settings_dep(request), user, context)


async def _panel(db: PageDatabase, task_id: int) -> dict[str, Any]:
    entry = await db.run(worklist_use_cases.worklist_entry, task_id, date.today())
    invoice = await db.run(get_invoice, entry.task.invoice_id)
    return {
        "entry": entry,
        "currency": invoice.currency,
        "history": await db.run(worklist_use_cases.outcomes_of, task_id),
        "outcomes": OUTCOMES,
        "typed": {},
        "errors": {},
    }


@router.get("/worklist/{task_id}", response_class=HTMLResponse)
async def task_page(
    task_id: IdParam,
    db: PageDatabase,
    link: PageTemporal,
    screen: Annotated[Screen, Depends(screen_of(WORKLIST))],
) -> HTMLResponse:
    context = await _panel(db, task_id)
    context["due"] = await sla_due(link, [context["entry"]])
    return screen.show("app/worklist_task.html", context)


@router.post("/worklist/{task_id}/outcome", response_class=HTMLResponse)
async def record_outcome(
    task_id: IdParam,
    request: Request,
    db: PageDatabase,
    link: PageTemporal,
    settings: PageSettings,
    user: Annotated[User, Depends(form_user(WORKLIST))],
) -> HTMLResponse:
    form = await request.form()
    typed = {name: str(form.get(name) or "").strip() for name in FIELDS}
    errors: dict[str, str] = {}
    try:
        body = OutcomeRequest.model_validate(as_input(typed))
    except ValidationError as error:
        errors = field_errors(error)
    else:

        async def logged() -> None:
            await log_outcome(db, await link.get(), task_id, user, body)

        refusal = await attempt_at_field(request, logged())
        if refusal.message:
            errors = {refusal.field or "form": refusal.message}
    context = await _panel(db, task_id)
    context["due"] = await sla_due(link, [context["entry"]])
    if errors:
        context.update(typed=typed, errors=errors)
    return render(request, "app/worklist_task_panel.html", settings, user, context)
