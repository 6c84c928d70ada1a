"""Collection tasks: a collector's ranked list, and the outcomes they log (an Update to the
invoice's collection workflow). Admins and credit managers assign customers to collectors."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from temporalio.client import Client

from activities.collection import cases as collection_cases
from activities.collection import tasks as collection_tasks
from api.deps import (
    CurrentUser,
    Database,
    DatabaseDep,
    PagingDep,
    TemporalDep,
    reader,
    require,
)
from api.listing import Page
from models.collection.messages import OutcomeUpdate
from models.collection.tasks import (
    CollectionTaskPublic,
    CollectionTaskStatus,
    CollectorAssignment,
    Outcome,
    OutcomeRequest,
)
from models.errors import InvalidInput
from models.fields import Day, IdParam, Line
from models.security.users import Role, User
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow

router = APIRouter(prefix="/collection-tasks", tags=["collections"])
READERS = reader(Role.COLLECTOR, Role.CREDIT_MANAGER, Role.FINANCE)
WORKERS = require(Role.COLLECTOR, Role.CREDIT_MANAGER)
MANAGERS = require(Role.CREDIT_MANAGER)


@router.get("", dependencies=[READERS])
async def list_tasks(
    db: DatabaseDep,
    paging: PagingDep,
    user: CurrentUser,
    assignee: Annotated[Line | None, Query(description='a username, or "me"')] = None,
    status: CollectionTaskStatus | None = None,
    as_of: Day | None = None,
) -> Page[CollectionTaskPublic]:
    """Ranked by outstanding x days overdue (as of today unless given), largest first."""
    who = user.username if assignee == "me" else assignee
    items, total = await db.run(
        collection_tasks.list_tasks, paging.limit, paging.offset, as_of or date.today(), who, status
    )
    return Page(items=items, total=total)


@router.put(
    "/collectors/{customer_id}", status_code=204, dependencies=[require(Role.CREDIT_MANAGER)]
)
async def assign_collector(
    customer_id: IdParam, body: CollectorAssignment, db: DatabaseDep
) -> Response:
    """The customer's own collector (null: round robin over the collectors)."""
    await db.run(collection_tasks.set_collector, customer_id, body.collector)
    return Response(status_code=204)


@router.get("/{task_id}", dependencies=[READERS])
async def get_task(task_id: IdParam, db: DatabaseDep) -> CollectionTaskPublic:
    return await db.run(collection_tasks.task_public, task_id, date.today())


@router.post("/{task_id}/outcome", dependencies=[WORKERS])
async def record_outcome(
    task_id: IdParam,
    body: OutcomeRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> CollectionTaskPublic:
    return await log_outcome(db, temporal, task_id, user, body)


async def log_outcome(
    db: Database, temporal: Client, task_id: int, user: User, body: OutcomeRequest
) -> CollectionTaskPublic:
    """What the collector did, checked and then sent to the invoice's collection workflow; the
    route and the worklist page both record outcomes through it."""
    roles = sorted(user.role_set)
    invoice = await db.run(collection_tasks.check_outcome_allowed, task_id, user.username, roles)
    invoice_id = invoice.id or 0  # a stored invoice always has one
    if body.outcome == Outcome.PROMISE:
        if body.promised_date is None or body.amount is None:
            raise InvalidInput("a promise needs promised_date and amount", field="promised_date")
        await db.run(
            collection_cases.check_promise_request,
            invoice_id,
            body.promised_date,
            body.amount,
            date.today(),
        )
    elif body.outcome == Outcome.DISPUTE:
        await db.run(collection_cases.collectable_invoice, invoice_id)
    update = OutcomeUpdate(task_id=task_id, user=user.username, roles=roles, **body.model_dump())
    handle = temporal.get_workflow_handle(invoice.workflow_id)
    await handle.execute_update(InvoiceCollectionWorkflow.record_outcome, update)
    return await db.run(collection_tasks.task_public, task_id, date.today())
