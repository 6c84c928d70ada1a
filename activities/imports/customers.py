"""Importing customers: each row checked as the API checks a new customer, then created or,
when its code exists, updated where it changed, a batch at a time (activities/imports/upsert.py):
encrypted, blind-indexed and audited as the master-data use cases write them."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from activities.imports.earlier import Earlier
from activities.imports.kind import WriteContext, Written
from activities.imports.row_checks import build, filled, read_cells, refuse
from activities.imports.upsert import MasterData, create_or_update
from models.imports.cells import amount, text, whole_number
from models.imports.jobs import RowError
from models.imports.kinds import CUSTOMER_COLUMNS
from models.master_data.customer_lookup import normal_email, normal_tax_id
from models.master_data.customers import Customer, CustomerCreate, CustomerUpdate
from models.security.field_cipher import keyring


def batch_blind_indexes(values: Mapping[str, Any]) -> dict[str, str | None]:
    """What `blind_indexes` (models/master_data/customers.py) gives, for a batch's rows: the same
    normalised e-mail and tax id under the same index key, hashed by hmac's one-call digest (the
    HMAC object `blind_index` builds for each value cost 7 us a row; a customer imported and one
    created by the API are found alike: tests/imports/test_batched_customer_import.py)."""
    ring = keyring()
    return {
        "email_index": _hashed(ring.index_key, normal_email(values.get("email") or "")),
        "tax_id_index": _hashed(ring.index_key, normal_tax_id(values.get("tax_id") or "")),
        "index_key": ring.index_current,
    }


def _hashed(key: bytes, normalised: str) -> str | None:
    return hmac.digest(key, normalised.encode(), "sha256").hex() if normalised else None


CUSTOMERS = MasterData(
    Customer, "code", frozenset(CustomerUpdate.model_fields), batch_blind_indexes
)


class CustomerImport:
    columns = CUSTOMER_COLUMNS

    def __init__(self) -> None:
        self.currencies: dict[str, str] = {}

    def prepare(self, session: Session) -> None:
        query = select(Customer.code, Customer.currency)
        self.currencies = {code: currency for code, currency in session.exec(query).all()}

    def include(self, earlier: Earlier) -> None:
        """Customers refer to nothing else."""

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
        return create_or_update(session, batch, CUSTOMERS)
