"""Customers: create, change, find."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, or_, select

from activities.paging import page
from models.errors import Conflict, InvalidInput, NotFound
from models.master_data.customer_lookup import email_lookups, tax_id_lookups
from models.master_data.customers import Customer, CustomerCreate, CustomerPublic, CustomerUpdate
from models.money import MoneyError, parse_amount


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"customer {customer_id} does not exist", field="customer_id")
    return customer


def lock_customer(session: Session, customer_id: int) -> Customer:
    """The customer's row, locked to the end of the transaction. Credit checks, payments and
    hold releases of one customer take it first, so they see each other and never deadlock."""
    query = select(Customer).where(Customer.id == customer_id).with_for_update()
    customer = session.exec(query).first()
    if customer is None:
        raise NotFound(f"customer {customer_id} does not exist", field="customer_id")
    return customer


def create_customer(session: Session, data: CustomerCreate) -> CustomerPublic:
    taken = Conflict(f"customer code {data.code!r} is already used", field="code")
    if session.exec(select(Customer).where(Customer.code == data.code)).first():
        raise taken
    customer = Customer.model_validate(data)
    session.add(customer)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request took the code after the check
        raise taken from exc
    return CustomerPublic.model_validate(customer)


def check_credit_limit(customer: Customer, limit: Decimal) -> None:
    """A limit in the customer's currency units (none below the yen)."""
    try:
        parse_amount(limit, customer.currency)
    except MoneyError as exc:
        raise InvalidInput(f"credit_limit: {exc}", field="credit_limit") from exc


def apply_update(customer: Customer, data: CustomerUpdate) -> None:
    """The fields `data` sets, on the customer, not yet written: a caller with more to change in
    the same request flushes once, so the audit trail keeps one row with every change."""
    if data.credit_limit is not None:
        check_credit_limit(customer, data.credit_limit)
    customer.sqlmodel_update(data.model_dump(exclude_unset=True, exclude={"reason"}))


def update_customer(session: Session, customer_id: int, data: CustomerUpdate) -> CustomerPublic:
    customer = get_customer(session, customer_id)
    apply_update(customer, data)
    session.add(customer)
    session.flush()
    return CustomerPublic.model_validate(customer)


def list_customers(
    session: Session, limit: int, offset: int, search: str | None = None
) -> tuple[list[CustomerPublic], int]:
    """`search`: part of the name or code, or the whole e-mail or tax id (their blind index, under
    any index key the keyring holds: the encrypted columns themselves cannot be searched)."""
    query = select(Customer).order_by(col(Customer.id))
    if search:
        found: list[ColumnElement[bool]] = [
            col(Customer.name).ilike(f"%{search}%"),
            col(Customer.code).ilike(f"%{search}%"),
        ]
        if by_email := email_lookups(search):
            found.append(col(Customer.email_index).in_(by_email))
        if by_tax_id := tax_id_lookups(search):
            found.append(col(Customer.tax_id_index).in_(by_tax_id))
        query = query.where(or_(*found))
    rows, total = page(session, query, limit, offset)
    return [CustomerPublic.model_validate(c) for c in rows], total
