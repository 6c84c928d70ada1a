"""Messages of an invoice's collection: the dunning plan, the activities' inputs and results,
and the Updates people send (outcomes, promises, disputes, the bad-debt decision)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel

from models.collection.dunning_terms import DunningLevelSpec, DunningTerms, PlannedStep


class DunningPlanInput(BaseModel):
    invoice_id: int
    at: datetime


class DunningPlan(BaseModel):
    """The invoice's ladder under the policy in force when its collection began."""

    due_date: date
    terms: DunningTerms
    steps: list[PlannedStep]


class TakeStepInput(BaseModel):
    invoice_id: int
    level: int
    spec: DunningLevelSpec | None
    days_past_due: int
    interest_days: int  # days not yet charged interest for
    on: date
    at: datetime


class StepResult(BaseModel):
    taken: bool
    fee: Decimal
    interest: Decimal
    outstanding: Decimal


class OpenTaskInput(BaseModel):
    invoice_id: int
    level: int
    at: datetime


class TaskState(BaseModel):
    task_id: int
    assignee: str
    closed: bool = False
    promise_id: int | None = None
    mail_outbox_id: int | None = None


class TaskNoticeInput(BaseModel):
    task_id: int
    reason: str
    at: datetime


class CloseTaskInput(BaseModel):
    task_id: int
    outcome: str
    note: str
    by: str
    at: datetime


class OutcomeUpdate(BaseModel):
    """A collector's outcome on a task, carried by the `record_outcome` Update."""

    task_id: int
    user: str
    roles: list[str] = []
    outcome: str
    note: str
    promised_date: date | None = None
    amount: Decimal | None = None
    follow_up_on: date | None = None


class OutcomeInput(OutcomeUpdate):
    invoice_id: int
    at: datetime


class PromiseUpdate(BaseModel):
    user: str
    promised_date: date
    amount: Decimal
    task_id: int | None = None


class PromiseInput(PromiseUpdate):
    invoice_id: int
    at: datetime


class PromiseCheckInput(BaseModel):
    promise_id: int
    at: datetime


class DisputeUpdate(BaseModel):
    user: str
    reason: str


class DisputeInput(DisputeUpdate):
    invoice_id: int
    at: datetime


class BadDebtDecision(BaseModel):
    user: str
    roles: list[str] = []
    accept: bool
    comment: str = ""


class BadDebtDecisionInput(BadDebtDecision):
    proposal_id: int
    invoice_id: int
    at: datetime


class BadDebtProposed(BaseModel):
    proposal_id: int
    amount: Decimal
    mail_outbox_ids: list[int] = []


class WriteOffBadDebtInput(BaseModel):
    invoice_id: int
    proposal_id: int
    at: datetime


class DigestInput(BaseModel):
    on: date


class DigestResult(BaseModel):
    outbox_ids: list[int]


class CollectionView(BaseModel):
    """What the collection workflow is doing now (query)."""

    invoice_id: int
    level: int
    outstanding: Decimal | None
    paused_by: str | None
    task_id: int | None
    assignee: str | None
    promise_until: datetime | None
    proposal_id: int | None
    sla_due: datetime | None = None  # when the collector is reminded or the task escalated
