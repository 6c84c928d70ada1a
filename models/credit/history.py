"""The history of a customer's credit terms: every change of limit, class or hold, manual or from
an accepted review proposal, with who, when, why, before and after."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import timestamp_field


class CreditTerm(StrEnum):
    LIMIT = "credit_limit"
    CLASS = "credit_class"
    HOLD = "credit_hold"


class ChangeSource(StrEnum):
    MANUAL = "manual"  # a PATCH of the customer, applied at once
    LIMIT_APPROVAL = "limit_approval"  # a raise a second credit manager approved
    REVIEW = "review"  # an accepted or adjusted credit review proposal


class CreditChange(SQLModel, table=True):
    __tablename__ = "credit_change"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    term: CreditTerm = Field(max_length=16)
    before: str = Field(max_length=64)
    after: str = Field(max_length=64)
    source: ChangeSource = Field(max_length=16)
    reason: str | None = None
    changed_by: str = Field(max_length=64)  # who asked (or the reviewer who accepted)
    approved_by: str | None = Field(default=None, max_length=64)  # the second approver
    review_id: int | None = None
    at: datetime = timestamp_field()


class CreditChangePublic(SQLModel):
    id: int
    customer_id: int
    term: CreditTerm
    before: str
    after: str
    source: ChangeSource
    reason: str | None
    changed_by: str
    approved_by: str | None
    review_id: int | None
    at: datetime
