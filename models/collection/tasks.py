"""Collection work on escalated invoices: a collector's task and what they logged, the
customer's collector and broken promises, promises to pay, disputes and bad-debt proposals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import money_field, optional_timestamp_field, timestamp_field
from models.fields import Day, Line, Note
from models.money import Amount


class CollectionTaskStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Outcome(StrEnum):
    CONTACTED = "contacted"
    NO_ANSWER = "no_answer"
    PROMISE = "promise"
    DISPUTE = "dispute"
    ESCALATE = "escalate"
    RESOLVED = "resolved"


class CollectionTask(SQLModel, table=True):
    __tablename__ = "collection_task"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=160)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    assignee: str = Field(index=True, max_length=64)
    status: CollectionTaskStatus = Field(default=CollectionTaskStatus.OPEN, index=True)
    level: int
    escalated: bool = False
    rotation: bool = False  # assigned by round robin, not as the customer's collector
    follow_up_on: date | None = None
    last_outcome: str | None = Field(default=None, max_length=16)
    opened_at: datetime = timestamp_field()
    closed_at: datetime | None = optional_timestamp_field()


class CollectionOutcome(SQLModel, table=True):
    __tablename__ = "collection_outcome"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="collection_task.id", index=True)
    outcome: Outcome
    note: str
    by: str = Field(max_length=64)
    promised_date: date | None = None
    amount: Decimal | None = money_field(default=None)
    at: datetime = timestamp_field()


class CustomerCollection(SQLModel, table=True):
    """A customer's standing with collections: their collector and their broken promises."""

    __tablename__ = "customer_collection"
    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    collector: Line | None = Field(default=None, max_length=64)
    broken_promises: int = 0
    last_broken_on: date | None = None


class PromiseStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"


class PaymentPromise(SQLModel, table=True):
    __tablename__ = "payment_promise"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=160)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    promised_date: date
    amount: Decimal = money_field()
    settled_before: Decimal = money_field()  # paid + credited when the promise was made
    status: PromiseStatus = PromiseStatus.OPEN
    by: str = Field(max_length=64)
    at: datetime = timestamp_field()


class InvoiceDispute(SQLModel, table=True):
    __tablename__ = "invoice_dispute"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=160)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    reason: str
    opened_by: str = Field(max_length=64)
    opened_at: datetime = timestamp_field()
    resolution: str | None = None
    resolved_by: str | None = Field(default=None, max_length=64)
    resolved_at: datetime | None = optional_timestamp_field()


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class BadDebtProposal(SQLModel, table=True):
    __tablename__ = "bad_debt_proposal"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=160)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    amount: Decimal = money_field()
    status: ProposalStatus = ProposalStatus.PROPOSED
    decided_by: str | None = Field(default=None, max_length=64)
    comment: str | None = None
    proposed_at: datetime = timestamp_field()
    decided_at: datetime | None = optional_timestamp_field()


# ---- API shapes -------------------------------------------------------------------------


class CollectionTaskPublic(SQLModel):
    id: int
    invoice_id: int
    invoice_number: str
    customer_id: int
    assignee: str
    status: CollectionTaskStatus
    level: int
    escalated: bool
    outstanding: Amount
    days_overdue: int
    priority: Amount  # outstanding x days overdue: the list is ranked by it
    follow_up_on: date | None
    last_outcome: str | None
    opened_at: datetime


class OutcomeRequest(SQLModel):
    outcome: Outcome
    note: Note = Field(max_length=2000)
    promised_date: Day | None = None
    amount: Amount | None = Field(default=None, gt=0)
    follow_up_on: Day | None = None


class DisputeRequest(SQLModel):
    reason: Line = Field(max_length=2000)


class ResolveDisputeRequest(SQLModel):
    resolution: Note = Field(max_length=2000)


class PromiseRequest(SQLModel):
    promised_date: Day
    amount: Amount = Field(gt=0)


class BadDebtDecisionRequest(SQLModel):
    accept: bool
    comment: Note = Field(default="", max_length=2000)


class CollectorAssignment(SQLModel):
    collector: Line | None = Field(default=None, max_length=64)
