"""Customers and their credit position."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from activities.master_data import customers
from activities.receivables.unapplied_credit import credit_position
from api.deps import DatabaseDep, PagingDep, reader, require
from api.listing import Page
from models.fields import Day, IdParam
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
async def create_customer(body: CustomerCreate, db: DatabaseDep) -> CustomerPublic:
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


@router.patch("/{customer_id}", dependencies=[EDITORS])
async def update_customer(
    customer_id: IdParam, body: CustomerUpdate, db: DatabaseDep
) -> CustomerPublic:
    return await db.run(customers.update_customer, customer_id, body)


@router.get("/{customer_id}/credit", dependencies=[READERS])
async def customer_credit(
    customer_id: IdParam, db: DatabaseDep, as_of: Day | None = None
) -> CustomerCredit:
    return await db.run(credit_position, customer_id, as_of or date.today())
