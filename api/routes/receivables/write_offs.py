"""Write-offs of an invoice (finance); large ones are decided by a finance approver through the
invoice's collection workflow (Update)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter, Request, Response
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from activities.receivables import write_offs
from api.deps import (
    Commands,
    CommandsDep,
    CurrentUser,
    Database,
    DatabaseDep,
    TemporalDep,
    reader,
    require,
)
from api.idempotency import command_key
from api.idempotent_answer import answer_status
from models.errors import Conflict
from models.fields import IdParam
from models.receivables.write_offs import (
    WriteOffCreate,
    WriteOffDecisionRequest,
    WriteOffPublic,
    WriteOffState,
)
from models.sales.messages import WriteOffDecision
from models.security.users import Role, User
from models.workflow_ids import invoice_workflow_id
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow

router = APIRouter(prefix="/invoices", tags=["write-offs"])


@router.post(
    "/{invoice_id}/write-off",
    status_code=201,
    dependencies=[require(Role.FINANCE)],
    responses={202: {"description": "above the approval amount: waiting for a finance approver"}},
)
async def write_off(
    invoice_id: IdParam,
    body: WriteOffCreate,
    commands: CommandsDep,
    user: CurrentUser,
    request: Request,
    response: Response,
) -> WriteOffPublic:
    key = command_key(request, user.username, "write-off")
    answer_status(_write_off_status)
    result = await commands.run(
        write_offs.write_off_invoice, invoice_id, body, user.username, date.today(), key
    )
    response.status_code = _write_off_status(result)
    return result


def _write_off_status(result: WriteOffPublic) -> int:
    return 202 if result.state == WriteOffState.PENDING_APPROVAL else 201


@router.get("/{invoice_id}/write-offs", dependencies=[reader(Role.FINANCE, Role.COLLECTOR)])
async def list_write_offs(invoice_id: IdParam, db: DatabaseDep) -> list[WriteOffPublic]:
    return await db.run(write_offs.list_write_offs, invoice_id)


@router.post(
    "/{invoice_id}/write-offs/{write_off_id}/decision", dependencies=[require(Role.APPROVER)]
)
async def decide_write_off(
    invoice_id: IdParam,
    write_off_id: IdParam,
    body: WriteOffDecisionRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    commands: CommandsDep,
    user: CurrentUser,
) -> WriteOffPublic:
    return await decide(db, temporal, commands, invoice_id, write_off_id, user, body)


async def decide(
    db: Database,
    temporal: Client,
    commands: Commands,
    invoice_id: int,
    write_off_id: int,
    user: User,
    body: WriteOffDecisionRequest,
) -> WriteOffPublic:
    """A finance approver's verdict on a write-off waiting for approval, sent to the invoice's
    collection workflow; the route and the write-off page both decide through it."""
    pending = await db.run(write_offs.get_write_off, invoice_id, write_off_id)
    if pending.state != WriteOffState.PENDING_APPROVAL:
        raise Conflict(f"write-off {write_off_id} is {pending.state}, not waiting for approval")
    decision = WriteOffDecision(
        write_off_id=write_off_id,
        invoice_id=invoice_id,
        requested_by=pending.requested_by,
        user=user.username,
        roles=sorted(user.role_set),
        approve=body.approve,
        comment=body.comment,
        at=datetime.now(UTC),
    )
    handle = temporal.get_workflow_handle(invoice_workflow_id(invoice_id))
    try:
        await handle.execute_update(InvoiceCollectionWorkflow.decide_write_off, decision)
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        raise Conflict(f"invoice {invoice_id} is not in collection any more") from exc
    await commands.flush_outbox()
    found = await db.run(write_offs.get_write_off, invoice_id, write_off_id)
    return WriteOffPublic.model_validate(found)
