"""The approval policy: which levels an order needs and their timers; admins save new versions."""

from __future__ import annotations

from fastapi import APIRouter

from activities.sales import approval_policy, credit_policies
from api.deps import DatabaseDep, reader, require
from api.routes.policy_versions import add_version_routes
from models.fields import Line
from models.sales.approval_policy import ApprovalPolicyCreate
from models.sales.credit_policy import CreditClassPolicyBase, CreditClassPolicyPublic
from models.security.users import Role

router = APIRouter(tags=["approval"])
READERS = reader(Role.APPROVER, Role.SALES, Role.CREDIT_MANAGER, Role.FINANCE)


add_version_routes(
    router,
    "/approval-policies",
    create=ApprovalPolicyCreate,
    save=approval_policy.save_policy,
    versions=approval_policy.VERSIONS,
    saver=require(),
    readers=READERS,
    names=("approval_policy", "approval_policies", "policy_id"),
    saved="A new version of the policy, in force for orders that ask for approval from now on.",
)


@router.put("/credit-policies/{credit_class}", dependencies=[require(Role.CREDIT_MANAGER)])
async def put_credit_policy(
    credit_class: Line, body: CreditClassPolicyBase, db: DatabaseDep
) -> CreditClassPolicyPublic:
    return await db.run(credit_policies.put_policy, credit_class, body)


@router.get("/credit-policies", dependencies=[READERS])
async def list_credit_policies(db: DatabaseDep) -> list[CreditClassPolicyPublic]:
    return await db.run(credit_policies.list_policies)
