"""The approval policy: which levels an order needs and their timers; admins save new versions."""

from __future__ import annotations

from fastapi import APIRouter

from activities.sales import approval_policy, credit_policies
from api.deps import CurrentUser, DatabaseDep, PagingDep, reader, require
from api.listing import Page
from models.fields import IdParam, Line
from models.sales.approval_policy import ApprovalPolicyCreate, ApprovalPolicyPublic
from models.sales.credit_policy import CreditClassPolicyBase, CreditClassPolicyPublic
from models.security.users import Role

router = APIRouter(tags=["approval"])
READERS = reader(Role.APPROVER, Role.SALES, Role.CREDIT_MANAGER, Role.FINANCE)


@router.post("/approval-policies", status_code=201, dependencies=[require()])
async def save_approval_policy(
    body: ApprovalPolicyCreate, db: DatabaseDep, user: CurrentUser
) -> ApprovalPolicyPublic:
    """A new version of the policy, in force for orders that ask for approval from now on."""
    return await db.run(approval_policy.save_policy, body, user.username)


@router.get("/approval-policies", dependencies=[READERS])
async def list_approval_policies(db: DatabaseDep, paging: PagingDep) -> Page[ApprovalPolicyPublic]:
    items, total = await db.run(approval_policy.list_policies, paging.limit, paging.offset)
    return Page(items=items, total=total)


@router.get("/approval-policies/current", dependencies=[READERS])
async def current_approval_policy(db: DatabaseDep) -> ApprovalPolicyPublic:
    return await db.run(approval_policy.policy_in_force)


@router.get("/approval-policies/{policy_id}", dependencies=[READERS])
async def get_approval_policy(policy_id: IdParam, db: DatabaseDep) -> ApprovalPolicyPublic:
    return await db.run(approval_policy.get_policy, policy_id)


@router.put("/credit-policies/{credit_class}", dependencies=[require(Role.CREDIT_MANAGER)])
async def put_credit_policy(
    credit_class: Line, body: CreditClassPolicyBase, db: DatabaseDep
) -> CreditClassPolicyPublic:
    return await db.run(credit_policies.put_policy, credit_class, body)


@router.get("/credit-policies", dependencies=[READERS])
async def list_credit_policies(db: DatabaseDep) -> list[CreditClassPolicyPublic]:
    return await db.run(credit_policies.list_policies)
