"""Credit limit raises above the approval amount, waiting for a second credit manager."""

from __future__ import annotations

from fastapi import APIRouter

from activities.master_data import credit_limit_changes
from api.deps import CurrentUser, DatabaseDep, PagingDep, reader, require
from api.listing import Page
from models.fields import IdParam
from models.master_data.credit_limit_changes import CreditLimitChangePublic, LimitChangeState
from models.security.users import Role

router = APIRouter(prefix="/credit-limit-changes", tags=["customers"])


@router.get("", dependencies=[reader(Role.CREDIT_MANAGER)])
async def list_limit_changes(
    db: DatabaseDep, paging: PagingDep, state: LimitChangeState | None = None
) -> Page[CreditLimitChangePublic]:
    items, total = await db.run(
        credit_limit_changes.list_limit_changes, state, paging.limit, paging.offset
    )
    return Page(items=items, total=total)


@router.post("/{change_id}/approve", dependencies=[require(Role.CREDIT_MANAGER, Role.APPROVER)])
async def approve_limit_change(
    change_id: IdParam, db: DatabaseDep, user: CurrentUser
) -> CreditLimitChangePublic:
    """By a credit manager or approver other than who asked; the customer's limit changes now."""
    return await db.run(credit_limit_changes.approve_limit_change, change_id, user.username)
