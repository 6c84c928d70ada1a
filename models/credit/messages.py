"""Inputs and results of CreditReviewWorkflow and the credit activities (table-free)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel

from models.credit.reviews import ReviewStatus, ReviewTrigger

CREDIT_REVIEW_WORKFLOW = "CreditReviewWorkflow"


class StartReviewInput(BaseModel):
    """The workflow's input: review now (or as of a day), or wait on a review already made."""

    customer_id: int
    trigger: ReviewTrigger = ReviewTrigger.MANUAL
    as_of: date | None = None
    review_id: int | None = None


class ReviewInput(BaseModel):
    customer_id: int
    trigger: ReviewTrigger
    as_of: date
    review_id: int | None = None


class ReviewOpened(BaseModel):
    review_id: int
    status: ReviewStatus
    remind_after: timedelta
    escalate_after: timedelta


class ReviewNotice(BaseModel):
    review_id: int
    kind: str  # waiting, reminder, escalated
    at: datetime


class Verdict(StrEnum):
    ACCEPT = "accept"
    ADJUST = "adjust"
    REJECT = "reject"


class ReviewDecision(BaseModel):
    """A credit manager's answer to a proposal, carried by the decide Update."""

    review_id: int
    verdict: Verdict
    user: str
    roles: list[str] = []
    comment: str | None = None
    credit_limit: Decimal | None = None
    credit_class: str | None = None
    at: datetime | None = None


class ReviewDecided(BaseModel):
    status: ReviewStatus
    limit_change_id: int | None = None


class ReviewAllInput(BaseModel):
    as_of: date


class ReviewAllResult(BaseModel):
    reviewed: int
    proposals: int
