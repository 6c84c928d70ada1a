"""Dunning policies: per credit class, overridable per customer (admin keeps them)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from activities.collection import policies as dunning_policies
from api.deps import DatabaseDep, reader, require
from api.listing import Page
from models.collection.dunning import DunningPolicyIn, DunningPolicyPublic
from models.fields import IdParam, Line
from models.security.users import Role

router = APIRouter(prefix="/dunning-policies", tags=["collections"])
READERS = reader(Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR)
ADMIN = require()


@router.get("", dependencies=[READERS])
async def list_policies(db: DatabaseDep) -> Page[DunningPolicyPublic]:
    items = await db.run(dunning_policies.list_policies)
    return Page(items=items, total=len(items))


@router.put("/classes/{credit_class}", dependencies=[ADMIN])
async def put_class_policy(
    credit_class: Line, body: DunningPolicyIn, db: DatabaseDep
) -> DunningPolicyPublic:
    return await db.run(dunning_policies.put_class_policy, credit_class, body)


@router.put("/customers/{customer_id}", dependencies=[ADMIN])
async def put_customer_policy(
    customer_id: IdParam, body: DunningPolicyIn, db: DatabaseDep
) -> DunningPolicyPublic:
    return await db.run(dunning_policies.put_customer_policy, customer_id, body)


@router.delete("/customers/{customer_id}", status_code=204, dependencies=[ADMIN])
async def delete_customer_policy(customer_id: IdParam, db: DatabaseDep) -> Response:
    await db.run(dunning_policies.delete_customer_policy, customer_id)
    return Response(status_code=204)


@router.get("/customers/{customer_id}/effective", dependencies=[READERS])
async def effective_policy(customer_id: IdParam, db: DatabaseDep) -> DunningPolicyPublic:
    """The policy that applies to the customer: their own, their class's, or the default."""
    return await db.run(dunning_policies.effective_policy, customer_id)
