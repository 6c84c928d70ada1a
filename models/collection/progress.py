"""How far an invoice's collection went, as InvoiceCollectionWorkflow's parts hold it: plain
values, so a run that continues as new carries them in its input (`CollectionCarry`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class Pauses:
    """What holds the ladder: a dispute (its days do not count as past due) or a promise."""

    disputed_since: datetime | None = None
    dispute_time: timedelta = timedelta(0)  # all disputes so far, ended ones
    promise_id: int | None = None
    promise_until: datetime | None = None  # the promised date plus the policy's grace


@dataclass
class LadderProgress:
    """How far up the ladder the invoice went, and what interest it was charged."""

    next_step: int = 0
    interest_days_charged: int = 0
    last_step_at: datetime | None = None


@dataclass
class TaskFollowUp:
    """The invoice's collection task, who has it, and its SLA."""

    task_id: int | None = None
    open: bool = False
    assignee: str | None = None
    escalated: bool = False  # a collections manager has it: the SLA stops
    work_by: datetime | None = None
    collector_reminded: bool = False


@dataclass
class ProposalProgress:
    """The bad-debt write-off proposed for the invoice, once, and whether it awaits a decision."""

    id: int | None = None
    open: bool = False
