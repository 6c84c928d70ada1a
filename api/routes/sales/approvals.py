"""Each approver's inbox: the approval requests the caller may decide now."""

from __future__ import annotations

from fastapi import APIRouter

from activities.sales import approvals
from api.deps import CurrentUser, DatabaseDep, PagingDep
from api.listing import Page
from models.sales.approvals import ApprovalTaskPublic, TaskStatus

router = APIRouter(prefix="/approvals", tags=["approval"])


@router.get("")
async def my_approvals(
    db: DatabaseDep,
    paging: PagingDep,
    user: CurrentUser,
    status: TaskStatus = TaskStatus.PENDING,
) -> Page[ApprovalTaskPublic]:
    items, total = await db.run(approvals.inbox, user, status, paging.limit, paging.offset)
    return Page(items=items, total=total)
