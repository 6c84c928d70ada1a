"""Customers: who buys, how much credit they get, and on what terms they pay."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import EmailStr, ValidationInfo, field_validator, model_validator
from sqlalchemy import Column, String, event
from sqlmodel import Field, SQLModel

from models.base import money_field, timestamp_field
from models.fields import Code, Count, Line, Note
from models.languages import LANGUAGE_PATTERN
from models.master_data.customer_lookup import email_index, tax_id_index
from models.money import Amount, parse_amount
from models.receivables.instalments import parse_plan
from models.receivables.policies import InvoicePolicy, default_invoice_policy
from models.security.field_cipher import EncryptedText, keyring


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


def checked_plan(value: str | None) -> str | None:
    """Instalment terms must parse ("30@30,50@60,20@90"); empty means net payment terms."""
    if value:
        parse_plan(value)
    return value


def _blind_index_column() -> Column[str]:
    # Derived from the e-mail or tax id, so the audit trail leaves it out.
    return Column(String(64), index=True, info={"audit": False})


class CustomerBase(SQLModel):
    code: str = Field(min_length=1, max_length=32, schema_extra={"pattern": r"^[A-Za-z0-9_-]+$"})
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=500)
    tax_id: str | None = Field(default=None, max_length=40)
    payment_terms_days: int = Field(default=30, ge=0, le=365)
    credit_class: str = Field(default="standard", max_length=32)
    currency: str = Field(
        default="USD", min_length=3, max_length=3, schema_extra={"pattern": r"^[A-Za-z]{3}$"}
    )
    status: CustomerStatus = CustomerStatus.ACTIVE
    language: str = Field(default="en", schema_extra={"pattern": LANGUAGE_PATTERN})
    invoice_policy: InvoicePolicy = InvoicePolicy.ON_SHIPMENT
    # Instalment terms "30@30,50@60,20@90" (percent@days); empty means net payment_terms_days.
    instalment_plan: str | None = Field(default=None, max_length=200)
    # For the customer distribution report (docs/credit.md).
    region: str | None = Field(default=None, max_length=64)
    segment: str | None = Field(default=None, max_length=64)

    @field_validator("instalment_plan")
    @classmethod
    def _valid_plan(cls, value: str | None) -> str | None:
        return checked_plan(value) or None

    @field_validator("currency")
    @classmethod
    def _upper_currency(cls, value: str) -> str:
        return value.upper()


class Customer(CustomerBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=32)
    # Personal data, encrypted at rest (docs/security.md); e-mail and tax id are found by their
    # blind index, set from the plaintext on every write.
    email: str = Field(sa_column=Column(EncryptedText("customer.email"), nullable=False))
    phone: str | None = Field(default=None, sa_column=Column(EncryptedText("customer.phone")))
    address: str | None = Field(default=None, sa_column=Column(EncryptedText("customer.address")))
    tax_id: str | None = Field(default=None, sa_column=Column(EncryptedText("customer.tax_id")))
    email_index: str | None = Field(default=None, sa_column=_blind_index_column())
    tax_id_index: str | None = Field(default=None, sa_column=_blind_index_column())
    # The index key both hashes were made with, so `o2c keys rotate` finds what to re-index.
    index_key: str | None = Field(
        default=None, sa_column=Column(String(32), index=True, info={"audit": False})
    )
    credit_limit: Decimal = money_field()
    created_at: datetime = timestamp_field()


def blind_indexes(values: Mapping[str, Any]) -> dict[str, str | None]:
    """The customer's lookup hashes, from its e-mail and tax id, and the id of the index key
    they were made with: set on every write, by the ORM (below) and by the batch writes of an
    import alike."""
    return {
        "email_index": email_index(values.get("email")),
        "tax_id_index": tax_id_index(values.get("tax_id")),
        "index_key": keyring().index_current,
    }


@event.listens_for(Customer, "before_insert")
@event.listens_for(Customer, "before_update")
def _blind_indexes(_mapper: object, _connection: object, customer: Customer) -> None:
    indexes = blind_indexes({"email": customer.email, "tax_id": customer.tax_id})
    customer.email_index = indexes["email_index"]
    customer.tax_id_index = indexes["tax_id_index"]
    customer.index_key = indexes["index_key"]


class CustomerCreate(CustomerBase):
    code: Code = Field(max_length=32, schema_extra={"pattern": r"^[A-Z0-9_-]+$"})
    name: Line = Field(max_length=200)
    phone: Line | None = Field(default=None, max_length=40)
    address: Note | None = Field(default=None, max_length=500)
    tax_id: Line | None = Field(default=None, max_length=40)
    payment_terms_days: Count = Field(default=30, le=365)
    credit_class: Line = Field(default="standard", max_length=32)
    instalment_plan: Line | None = Field(default=None, max_length=200)
    region: Line | None = Field(default=None, max_length=64)
    segment: Line | None = Field(default=None, max_length=64)
    credit_limit: Amount = Field(default=Decimal("0"), ge=0)

    @model_validator(mode="after")
    def _policy_from_credit_class(self) -> CustomerCreate:
        # Not given: the credit class decides (prepayment customers are billed on order).
        if "invoice_policy" not in self.model_fields_set:
            self.invoice_policy = default_invoice_policy(self.credit_class)
        return self

    @field_validator("credit_limit")
    @classmethod
    def _in_currency_units(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        # Amount allows two decimals; a JPY or KRW limit allows none.
        currency = info.data.get("currency")
        return parse_amount(value, currency) if currency else value


class CustomerUpdate(SQLModel):
    name: Line | None = Field(default=None, max_length=200)
    email: EmailStr | None = None
    phone: Line | None = Field(default=None, max_length=40)
    address: Note | None = Field(default=None, max_length=500)
    tax_id: Line | None = Field(default=None, max_length=40)
    credit_limit: Amount | None = Field(default=None, ge=0)
    payment_terms_days: Count | None = Field(default=None, le=365)
    credit_class: Line | None = Field(default=None, max_length=32)
    status: CustomerStatus | None = None
    language: str | None = Field(default=None, schema_extra={"pattern": LANGUAGE_PATTERN})
    invoice_policy: InvoicePolicy | None = None
    instalment_plan: Line | None = Field(default=None, max_length=200)
    region: Line | None = Field(default=None, max_length=64)
    segment: Line | None = Field(default=None, max_length=64)
    # Why the credit limit or class changes: kept in the credit history, not on the customer.
    reason: Note | None = Field(default=None, max_length=2000)

    @field_validator("instalment_plan")
    @classmethod
    def _valid_plan(cls, value: str | None) -> str | None:
        return checked_plan(value)

    @field_validator(
        "name",
        "email",
        "credit_limit",
        "payment_terms_days",
        "credit_class",
        "status",
        "language",
        "invoice_policy",
    )
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Leaving a field out keeps it; null would empty a column the customer cannot be without.
        if value is None:
            raise ValueError("may not be null; leave the field out to keep its value")
        return value


class CustomerPublic(CustomerBase):
    id: int
    credit_limit: Amount
    # Set when this change asked for a limit above the approval amount: it waits for a second
    # credit manager (POST /credit-limit-changes/{id}/approve); credit_limit is still the old one.
    pending_limit_change_id: int | None = None


class CreditStatus(StrEnum):
    OK = "ok"
    HOLD = "hold"
    BLOCKED = "blocked"


class CustomerCredit(SQLModel):
    customer_id: int
    credit_limit: Amount
    open_receivables: Amount
    open_orders: Amount
    exposure: Amount
    available: Amount
    overdue_amount: Amount
    overdue_beyond_policy: Amount = Decimal(0)
    status: CreditStatus
    hold_days: int = 14
    # What payments and credit notes left over, not yet applied to an invoice (the API fills it).
    unapplied_credit: Amount = Decimal(0)
