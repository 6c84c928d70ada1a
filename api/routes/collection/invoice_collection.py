"""An invoice's collection, from outside: disputes, promises to pay, the bad-debt write-off
decision (each an Update to `invoice-{id}`), and the dunning steps it went through."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from fastapi import APIRouter
from temporalio.workflow import UpdateMethodMultiParam

from activities.collection import cases as collection_cases
from activities.collection import dunning
from activities.receivables import invoices
from api.deps import CurrentUser, DatabaseDep, TemporalDep, reader, require
from models.collection.dunning import DunningStepPublic
from models.collection.messages import BadDebtDecision, DisputeUpdate, PromiseUpdate
from models.collection.tasks import (
    BadDebtDecisionRequest,
    DisputeRequest,
    PromiseRequest,
    ResolveDisputeRequest,
)
from models.fields import IdParam
from models.receivables.invoices import InvoicePublic
from models.security.users import Role
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow

router = APIRouter(prefix="/invoices", tags=["collections"])
READERS = reader(Role.FINANCE, Role.COLLECTOR, Role.CREDIT_MANAGER, Role.SALES)
COLLECTORS = require(Role.FINANCE, Role.COLLECTOR, Role.CREDIT_MANAGER)
FINANCE = require(Role.FINANCE, Role.CREDIT_MANAGER)
Arg = TypeVar("Arg")


async def _update(
    db: DatabaseDep,
    temporal: TemporalDep,
    invoice_id: IdParam,
    update: UpdateMethodMultiParam[[Any, Arg], Any],
    arg: Arg,
) -> InvoicePublic:
    invoice = await db.run(invoices.get_invoice, invoice_id)
    await temporal.get_workflow_handle(invoice.workflow_id).execute_update(update, arg)
    return await db.run(invoices.invoice_public, invoice_id)


@router.post("/{invoice_id}/dispute", dependencies=[COLLECTORS])
async def open_dispute(
    invoice_id: IdParam,
    body: DisputeRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> InvoicePublic:
    """Pauses dunning and the days-past-due count until the dispute is resolved."""
    await db.run(collection_cases.collectable_invoice, invoice_id)
    update = DisputeUpdate(user=user.username, reason=body.reason)
    return await _update(db, temporal, invoice_id, InvoiceCollectionWorkflow.open_dispute, update)


@router.post("/{invoice_id}/dispute/resolve", dependencies=[FINANCE])
async def resolve_dispute(
    invoice_id: IdParam,
    body: ResolveDisputeRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> InvoicePublic:
    await db.run(collection_cases.check_dispute_open, invoice_id)
    update = DisputeUpdate(user=user.username, reason=body.resolution)
    return await _update(
        db, temporal, invoice_id, InvoiceCollectionWorkflow.resolve_dispute, update
    )


@router.post("/{invoice_id}/promise", dependencies=[COLLECTORS])
async def promise_to_pay(
    invoice_id: IdParam,
    body: PromiseRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> InvoicePublic:
    """Pauses dunning until the promised date plus the policy's grace, then checks the money."""
    await db.run(
        collection_cases.check_promise_request,
        invoice_id,
        body.promised_date,
        body.amount,
        date.today(),
    )
    update = PromiseUpdate(user=user.username, promised_date=body.promised_date, amount=body.amount)
    return await _update(db, temporal, invoice_id, InvoiceCollectionWorkflow.promise_to_pay, update)


@router.post("/{invoice_id}/write-off-proposal", dependencies=[require(Role.FINANCE)])
async def decide_write_off_proposal(
    invoice_id: IdParam,
    body: BadDebtDecisionRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> InvoicePublic:
    """Accept (the bad debt is written off, collection ends) or refuse the proposal."""
    decision = BadDebtDecision(
        user=user.username, roles=sorted(user.role_set), accept=body.accept, comment=body.comment
    )
    return await _update(
        db, temporal, invoice_id, InvoiceCollectionWorkflow.decide_bad_debt_write_off, decision
    )


@router.get("/{invoice_id}/dunning", dependencies=[READERS])
async def dunning_steps(invoice_id: IdParam, db: DatabaseDep) -> list[DunningStepPublic]:
    return await db.run(dunning.steps_of, invoice_id)
