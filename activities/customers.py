"""Customers: create, change, find."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.paging import page
from models.customers import Customer, CustomerCreate, CustomerPublic, CustomerUpdate
from models.errors import Conflict, NotFound


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"customer {customer_id} does not exist", field="customer_id")
    return customer


def create_customer(session: Session, data: CustomerCreate) -> CustomerPublic:
    if session.exec(select(Customer).where(Customer.code == data.code)).first():
        raise Conflict(f"customer code {data.code!r} is already used", field="code")
    customer = Customer.model_validate(data)
    session.add(customer)
    session.flush()
    return CustomerPublic.model_validate(customer)


def update_customer(session: Session, customer_id: int, data: CustomerUpdate) -> CustomerPublic:
    customer = get_customer(session, customer_id)
    customer.sqlmodel_update(data.model_dump(exclude_unset=True))
    session.add(customer)
    session.flush()
    return CustomerPublic.model_validate(customer)


def list_customers(
    session: Session, limit: int, offset: int, search: str | None = None
) -> tuple[list[CustomerPublic], int]:
    query = select(Customer).order_by(col(Customer.id))
    if search:
        query = query.where(col(Customer.name).ilike(f"%{search}%"))
    rows, total = page(session, query, limit, offset)
    return [CustomerPublic.model_validate(c) for c in rows], total
