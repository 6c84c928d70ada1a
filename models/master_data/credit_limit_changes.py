"""A raise of a customer's credit limit above the approval amount: kept as a pending change until
a second credit manager (not the one who asked) approves it; only then the limit applies."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import money_field, optional_timestamp_field, timestamp_field
from models.money import Amount


class LimitChangeState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"


class CreditLimitChange(SQLModel, table=True):
    __tablename__ = "credit_limit_change"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    limit_before: Decimal = money_field()
    requested_limit: Decimal = money_field()
    state: LimitChangeState = Field(default=LimitChangeState.PENDING, index=True)
    requested_by: str = Field(max_length=64)
    requested_at: datetime = timestamp_field()
    approved_by: str | None = Field(default=None, max_length=64)
    approved_at: datetime | None = optional_timestamp_field()
    reason: str | None = None
    review_id: int | None = None  # set when the raise comes from an accepted credit review


class CreditLimitChangePublic(SQLModel):
    id: int
    customer_id: int
    limit_before: Amount
    requested_limit: Amount
    state: LimitChangeState
    requested_by: str
    requested_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    reason: str | None = None
    review_id: int | None = None
