"""Credit class policies as data, and the credit holds the gate puts on orders.

A class policy says how many days past due a customer may be before new orders are `blocked`
(rather than merely held for the limit), and how long a hold may wait for release before the
order is cancelled."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import optional_timestamp_field, timestamp_field
from models.fields import Count


class CreditClassPolicyBase(SQLModel):
    overdue_days_allowed: Count = Field(default=0, ge=0, le=365)
    hold_days: Count = Field(default=14, ge=1, le=365)


class CreditClassPolicy(CreditClassPolicyBase, table=True):
    __tablename__ = "credit_class_policy"
    id: int | None = Field(default=None, primary_key=True)
    credit_class: str = Field(unique=True, max_length=32)


class CreditClassPolicyPublic(CreditClassPolicyBase):
    credit_class: str


# A class nobody wrote a policy for: any overdue item blocks, a hold waits two weeks.
DEFAULT_POLICY = CreditClassPolicyBase()


def overdue_beyond_policy(due_date: date, as_of: date, policy: CreditClassPolicyBase) -> bool:
    return (as_of - due_date).days > policy.overdue_days_allowed


class HoldKind(StrEnum):
    HOLD = "hold"  # over the limit: a credit manager may release it
    BLOCKED = "blocked"  # overdue beyond the class policy: only paying releases it


class HoldOutcome(StrEnum):
    OPEN = "open"
    RELEASED = "released"
    CANCELLED = "cancelled"
    AMENDED = "amended"


class CreditHold(SQLModel, table=True):
    """One hold of one order: why, and how it ended (who released it, with what comment)."""

    __tablename__ = "credit_hold"
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    revision: int = 1
    kind: HoldKind
    reasons: str
    outcome: HoldOutcome = Field(default=HoldOutcome.OPEN, index=True)
    released_by: str | None = Field(default=None, max_length=64)
    comment: str | None = None
    held_at: datetime = timestamp_field()
    closed_at: datetime | None = optional_timestamp_field()


class CreditHoldPublic(SQLModel):
    kind: HoldKind
    reasons: str
    outcome: HoldOutcome
    released_by: str | None
    comment: str | None
    held_at: datetime
    closed_at: datetime | None
