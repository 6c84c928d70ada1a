"""Importing customers: each row checked as the API checks a new customer, then created or,
when its code exists, updated where it changed, all through the master-data use cases (so their
rules, encryption and audit apply)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.imports.kind import WriteContext, Written
from activities.imports.row_checks import build, filled, read_cells, refuse
from activities.imports.upsert import create_or_update
from activities.master_data.customers import create_customer, update_customer
from models.imports.cells import amount, text, whole_number
from models.imports.jobs import RowError
from models.imports.kinds import CUSTOMER_COLUMNS
from models.master_data.customers import Customer, CustomerCreate, CustomerUpdate

UPDATABLE = frozenset(CustomerUpdate.model_fields)


class CustomerImport:
    columns = CUSTOMER_COLUMNS

    def __init__(self) -> None:
        self.currencies: dict[str, str] = {}

    def prepare(self, session: Session) -> None:
        query = select(Customer.code, Customer.currency)
        self.currencies = {code: currency for code, currency in session.exec(query).all()}

    def check(self, number: int, row: dict[str, object]) -> tuple[CustomerCreate, frozenset[str]]:
        cells = filled(row)
        errors: list[RowError] = []
        currency = text(cells.get("currency") or "USD").upper()
        parsers = {
            "payment_terms_days": whole_number,
            "credit_limit": lambda value: amount(value, currency),
        }
        values = read_cells(number, cells, parsers, errors)
        customer = build(CustomerCreate, number, values, errors)
        known = self.currencies.get(customer.code)
        if known is not None and "currency" in cells and known != customer.currency:
            message = f"customer {customer.code} bills in {known}; its currency cannot change"
            raise refuse(number, "currency", message)
        return customer, frozenset(cells)

    def key(self, checked: tuple[CustomerCreate, frozenset[str]]) -> str:
        return checked[0].code

    def write(
        self,
        session: Session,
        batch: list[tuple[CustomerCreate, frozenset[str]]],
        context: WriteContext,
    ) -> Written:
        codes = [customer.code for customer, _ in batch]
        query = select(Customer).where(col(Customer.code).in_(codes))
        existing = {c.code: c for c in session.exec(query).all()}
        return create_or_update(
            batch,
            existing,
            lambda customer: customer.code,
            lambda customer: create_customer(session, customer),
            lambda id_, changed: update_customer(session, id_, CustomerUpdate(**changed)),
            UPDATABLE,
        )
