"""Sales orders: entry, the order's detail and timeline, and the decisions sent to its workflow."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypeVar

from fastapi import APIRouter, HTTPException
from temporalio.client import Client, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.workflow import UpdateMethodMultiParam

from activities.reports.order_detail import order_detail
from activities.sales import amendments as order_amendments
from activities.sales import approval_duties, orders
from api.deps import (
    CommandsDep,
    CurrentUser,
    DatabaseDep,
    PagingDep,
    TemporalDep,
    reader,
    require,
)
from api.listing import Page
from models.fields import IdParam
from models.sales.messages import Amendment, Decision, ReleaseInput
from models.sales.order_detail import OrderDetail
from models.sales.order_requests import OrderAmend, OrderCreate
from models.sales.order_status import OrderStatus
from models.sales.orders import (
    ApproveRequest,
    CancelRequest,
    OrderEventPublic,
    OrderPublic,
    OrderRevisionPublic,
    RejectRequest,
    ReleaseHoldRequest,
)
from models.security.users import Role, User
from workflows.sales.order import OrderWorkflow

router = APIRouter(prefix="/orders", tags=["orders"])
READERS = reader(Role.SALES, Role.APPROVER, Role.CREDIT_MANAGER, Role.WAREHOUSE, Role.FINANCE)
Arg = TypeVar("Arg")
# How long a decision waits for its order's workflow to take it up before the answer is 503.
UPDATE_TIMEOUT = timedelta(seconds=30)
UPDATE_NOT_ANSWERED = (
    "the order's workflow did not take this up in time; it may still do so: "
    "read the order before trying again"
)


@router.post("", status_code=201, dependencies=[require(Role.SALES)])
async def create_order(body: OrderCreate, commands: CommandsDep, user: CurrentUser) -> OrderPublic:
    return await commands.run(orders.create_order, body, user.username, date.today())


@router.get("", dependencies=[READERS])
async def list_orders(
    db: DatabaseDep,
    paging: PagingDep,
    status: OrderStatus | None = None,
    customer_id: IdParam | None = None,
) -> Page[OrderPublic]:
    items, total = await db.run(
        orders.list_orders, paging.limit, paging.offset, status, customer_id
    )
    return Page(items=items, total=total)


@router.get("/{order_id}", dependencies=[READERS])
async def get_order(order_id: IdParam, db: DatabaseDep) -> OrderDetail:
    return await db.run(order_detail, order_id)


@router.get("/{order_id}/timeline", dependencies=[READERS])
async def order_timeline(order_id: IdParam, db: DatabaseDep) -> list[OrderEventPublic]:
    return await db.run(orders.timeline, order_id)


async def _update(
    db: DatabaseDep,
    temporal: Client,
    order_id: IdParam,
    update: UpdateMethodMultiParam[[Any, Arg], Any],
    arg: Arg,
) -> OrderDetail:
    order = await db.run(orders.get_order, order_id)
    handle = temporal.get_workflow_handle(order.workflow_id)
    try:
        await handle.execute_update(update, arg, rpc_timeout=UPDATE_TIMEOUT)
    except WorkflowUpdateRPCTimeoutOrCancelledError:
        # The workflow did not take the decision up in time (its worker is busy or away): it may
        # still do so, so the person reads the order before deciding again.
        raise HTTPException(503, detail=UPDATE_NOT_ANSWERED) from None
    return await db.run(order_detail, order_id)


def _decision(user: User, comment: str | None, level: int | None = None) -> Decision:
    return Decision(user=user.username, roles=sorted(user.role_set), comment=comment, level=level)


# Who may decide is the approval policy's business (a role or a named user per level): the
# workflow's validator answers 403 for anyone else. An auditor or ops never decides anything.
DECIDERS = require(*(role for role in Role if role not in (Role.AUDITOR, Role.OPS)))


async def decide(
    db: DatabaseDep,
    temporal: Client,
    order_id: int,
    user: User,
    approved: bool,
    comment: str | None,
    level: int | None = None,
) -> OrderDetail:
    """An approver's approval or rejection, sent to the order's workflow: the one path of the API
    and the web pages, so both are refused alike by the workflow's validator."""
    update = OrderWorkflow.approve if approved else OrderWorkflow.reject
    if approved:
        await db.run(approval_duties.check_may_approve, order_id, user.username)
    return await _update(db, temporal, order_id, update, _decision(user, comment, level))


@router.post("/{order_id}/approve", dependencies=[DECIDERS])
async def approve(
    order_id: IdParam,
    body: ApproveRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> OrderDetail:
    return await decide(db, temporal, order_id, user, True, body.comment, body.level)


@router.post("/{order_id}/reject", dependencies=[DECIDERS])
async def reject(
    order_id: IdParam,
    body: RejectRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> OrderDetail:
    return await decide(db, temporal, order_id, user, False, body.reason, body.level)


@router.patch("/{order_id}", dependencies=[require(Role.SALES)])
async def amend_order(
    order_id: IdParam, body: OrderAmend, db: DatabaseDep, temporal: TemporalDep, user: CurrentUser
) -> OrderDetail:
    """New lines for an order not yet approved; the earlier version is kept (`/revisions`)."""
    await db.run(order_amendments.check_amendment, order_id, body)
    amendment = Amendment(user=user.username, order=body)
    return await _update(db, temporal, order_id, OrderWorkflow.amend, amendment)


@router.get("/{order_id}/revisions", dependencies=[READERS])
async def order_revisions(order_id: IdParam, db: DatabaseDep) -> list[OrderRevisionPublic]:
    return await db.run(order_amendments.revisions, order_id)


async def cancel_order(
    db: DatabaseDep, temporal: Client, order_id: int, user: User, reason: str
) -> OrderDetail:
    """A rep's cancellation, sent to the order's workflow: the one path of the API and the pages."""
    return await _update(db, temporal, order_id, OrderWorkflow.cancel, _decision(user, reason))


@router.post("/{order_id}/cancel", dependencies=[require(Role.SALES)])
async def cancel(
    order_id: IdParam,
    body: CancelRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> OrderDetail:
    return await cancel_order(db, temporal, order_id, user, body.reason)


async def release_order_hold(
    db: DatabaseDep, temporal: Client, order_id: int, user: User, comment: str
) -> OrderDetail:
    """A credit manager's release of a held order, sent to its workflow: the one path of the
    API and the pages, refused alike by the workflow's validator."""
    release = ReleaseInput(user=user.username, comment=comment)
    return await _update(db, temporal, order_id, OrderWorkflow.release_credit_hold, release)


@router.post("/{order_id}/release-credit-hold", dependencies=[require(Role.CREDIT_MANAGER)])
async def release_credit_hold(
    order_id: IdParam,
    body: ReleaseHoldRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> OrderDetail:
    return await release_order_hold(db, temporal, order_id, user, body.comment)
