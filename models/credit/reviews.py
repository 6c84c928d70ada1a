"""Credit reviews: each review keeps the customer's score, grade and month facts, and what it
proposes (a new limit, class or hold). A proposal waits for a credit manager, who accepts,
adjusts or rejects it with a comment; a customer's credit hold is kept beside it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import field_validator, model_validator
from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel, col

from models.base import money_field, optional_timestamp_field, timestamp_field
from models.credit.scorecard import Grade
from models.fields import Line, Note
from models.money import Amount, DecimalStr


class ReviewStatus(StrEnum):
    NO_CHANGE = "no_change"  # nothing proposed
    OPEN = "open"  # a proposal waits for a credit manager
    ACCEPTED = "accepted"
    ADJUSTED = "adjusted"
    REJECTED = "rejected"


class ReviewTrigger(StrEnum):
    SCHEDULE = "schedule"
    BROKEN_PROMISE = "broken_promise"
    LATE_PAYMENT = "late_payment"
    PAYMENT_REVERSED = "payment_reversed"
    UTILISATION = "utilisation"
    MANUAL = "manual"


class CreditReview(SQLModel, table=True):
    __tablename__ = "credit_review"
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    trigger: ReviewTrigger = Field(max_length=16)
    as_of: date
    scorecard_id: int | None = None
    score: int
    grade: Grade = Field(max_length=1)
    utilisation: Decimal | None = money_field(default=None)
    days_beyond_terms: Decimal | None = money_field(default=None)
    status: ReviewStatus = Field(default=ReviewStatus.NO_CHANGE)
    rule_set_version: int | None = None  # the review rules version whose `rule` proposed
    rule: str | None = Field(default=None, max_length=100)
    limit_before: Decimal = money_field()
    class_before: str = Field(max_length=32)
    hold_before: bool = False
    proposed_limit: Decimal | None = money_field(default=None)
    proposed_class: str | None = Field(default=None, max_length=32)
    proposed_hold: bool = False
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = optional_timestamp_field()
    comment: str | None = None
    limit_change_id: int | None = None  # a raise that waits for a second approver
    created_at: datetime = timestamp_field()


class CustomerCreditHold(SQLModel, table=True):
    """A customer on credit hold: the credit gate holds each new order until it is lifted."""

    __tablename__ = "customer_credit_hold"
    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    review_id: int | None = None
    placed_by: str = Field(max_length=64)
    placed_at: datetime = timestamp_field()


class CreditReviewPublic(SQLModel):
    id: int
    customer_id: int
    trigger: ReviewTrigger
    as_of: date
    scorecard_id: int | None
    score: int
    grade: Grade
    utilisation: DecimalStr | None
    days_beyond_terms: DecimalStr | None
    status: ReviewStatus
    rule_set_version: int | None
    rule: str | None
    limit_before: Amount
    class_before: str
    hold_before: bool
    proposed_limit: Amount | None
    proposed_class: str | None
    proposed_hold: bool
    decided_by: str | None
    decided_at: datetime | None
    comment: str | None
    limit_change_id: int | None
    created_at: datetime

    @field_validator("utilisation", "days_beyond_terms")
    @classmethod
    def _one_place(cls, value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(Decimal("0.1"))


class AcceptRequest(SQLModel):
    comment: Note | None = Field(default=None, max_length=2000)


class AdjustRequest(SQLModel):
    credit_limit: Amount | None = Field(default=None, ge=0)
    credit_class: Line | None = Field(default=None, max_length=32)
    comment: Note = Field(max_length=2000)

    @model_validator(mode="after")
    def _changes_something(self) -> AdjustRequest:
        if self.credit_limit is None and self.credit_class is None:
            raise ValueError("credit_limit: give a credit_limit or a credit_class")
        return self


class RejectRequest(SQLModel):
    comment: Note = Field(max_length=2000)


# Reviews whose proposal waits for a credit manager, by customer: the queue, the credit report
# and the monthly run ("nothing new while one waits") read these alone. The run's thousands of
# other reviews a month stay out of it: an index on every review's status cost the run's
# inserts a third of their time.
OPEN_REVIEW = "status = 'OPEN'"  # as stored (the name), so SQLite matches queries to it
OPEN_REVIEWS_INDEX = Index(
    "ix_credit_review_open",
    col(CreditReview.customer_id),
    sqlite_where=text(OPEN_REVIEW),
    postgresql_where=text(OPEN_REVIEW),
)
