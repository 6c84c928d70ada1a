"""Customers and their credit position."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response

from activities.master_data import credit_limit_changes, customers
from activities.receivables.unapplied_credit import credit_position
from api.deps import CurrentUser, DatabaseDep, PagingDep, SettingsDep, reader, require
from api.idempotent_answer import answer_status
from api.listing import Page
from models.fields import Day, IdParam
from models.master_data.credit_duties import check_credit_fields, check_new_customer_terms
from models.master_data.customers import (
    CustomerCreate,
    CustomerCredit,
    CustomerPublic,
    CustomerUpdate,
)
from models.security.users import Role

router = APIRouter(prefix="/customers", tags=["customers"])
READERS = reader(Role.SALES, Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR, Role.APPROVER)
EDITORS = require(Role.SALES, Role.FINANCE, Role.CREDIT_MANAGER)


@router.post("", status_code=201, dependencies=[EDITORS])
async def create_customer(
    body: CustomerCreate, db: DatabaseDep, user: CurrentUser
) -> CustomerPublic:
    check_new_customer_terms(body, user.role_set)
    return await db.run(customers.create_customer, body)


@router.get("", dependencies=[READERS])
async def list_customers(
    db: DatabaseDep, paging: PagingDep, q: str | None = None
) -> Page[CustomerPublic]:
    items, total = await db.run(customers.list_customers, paging.limit, paging.offset, q)
    return Page(items=items, total=total)


@router.get("/{customer_id}", dependencies=[READERS])
async def get_customer(customer_id: IdParam, db: DatabaseDep) -> CustomerPublic:
    found = await db.run(customers.get_customer, customer_id)
    return CustomerPublic.model_validate(found)


@router.patch(
    "/{customer_id}",
    dependencies=[EDITORS],
    responses={202: {"description": "the limit raise waits for a second credit manager"}},
)
async def update_customer(
    customer_id: IdParam,
    body: CustomerUpdate,
    db: DatabaseDep,
    user: CurrentUser,
    settings: SettingsDep,
    response: Response,
) -> CustomerPublic:
    check_credit_fields(body.model_fields_set, user.role_set)
    answer_status(_change_status)
    changed = await db.run(
        credit_limit_changes.change_customer,
        customer_id,
        body,
        user.username,
        settings.raise_approval(),
    )
    response.status_code = _change_status(changed)
    return changed


def _change_status(changed: CustomerPublic) -> int:
    return 202 if changed.pending_limit_change_id is not None else 200


@router.get("/{customer_id}/credit", dependencies=[READERS])
async def customer_credit(
    customer_id: IdParam, db: DatabaseDep, as_of: Day | None = None
) -> CustomerCredit:
    return await db.run(credit_position, customer_id, as_of or date.today())
