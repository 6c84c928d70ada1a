"""Collection's Temporal activities (dunning ladder, tasks, promises, disputes, bad debt, the
daily digest): each runs one use case in its own transaction. Workflows call them by method
(workflows/steps.py); the names never change (histories). Mail goes out through `deliver_email`
(activities/documents/registry.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from temporalio import activity

from activities.collection import cases as collection_cases
from activities.collection import digest as dunning_digest
from activities.collection import dunning
from activities.collection import tasks as collection_tasks
from activities.receivables import invoices
from activities.transaction import run_command, transaction
from models.collection.messages import (
    BadDebtDecisionInput,
    BadDebtProposed,
    CloseTaskInput,
    DigestInput,
    DigestResult,
    DisputeInput,
    DunningPlan,
    DunningPlanInput,
    OpenTaskInput,
    OutcomeInput,
    PromiseCheckInput,
    PromiseInput,
    StepResult,
    TakeStepInput,
    TaskNoticeInput,
    TaskState,
    WriteOffBadDebtInput,
)
from models.sales.messages import InvoicePosition, InvoiceRef


class CollectionActivities:
    def __init__(self, engine: Engine, *, seller: str) -> None:
        self.engine = engine
        self.seller = seller

    @activity.defn(name="dunning_plan")
    def dunning_plan(self, data: DunningPlanInput) -> DunningPlan:
        return run_command(self.engine, dunning.dunning_plan, data.invoice_id)

    @activity.defn(name="take_dunning_step")
    def take_dunning_step(self, data: TakeStepInput) -> StepResult:
        return run_command(self.engine, dunning.take_step, data)

    @activity.defn(name="open_collection_task")
    def open_collection_task(self, data: OpenTaskInput) -> TaskState:
        return run_command(self.engine, collection_tasks.open_task, data)

    @activity.defn(name="remind_collector")
    def remind_collector(self, data: TaskNoticeInput) -> TaskState:
        return run_command(self.engine, collection_tasks.remind_collector, data)

    @activity.defn(name="escalate_collection_task")
    def escalate_collection_task(self, data: TaskNoticeInput) -> TaskState:
        return run_command(self.engine, collection_tasks.escalate_task, data)

    @activity.defn(name="close_collection_task")
    def close_collection_task(self, data: CloseTaskInput) -> None:
        run_command(self.engine, collection_tasks.close_task, data)

    @activity.defn(name="record_collection_outcome")
    def record_collection_outcome(self, data: OutcomeInput) -> TaskState:
        return run_command(self.engine, collection_tasks.record_outcome, data)

    @activity.defn(name="record_promise")
    def record_promise(self, data: PromiseInput) -> int:
        return run_command(self.engine, collection_cases.record_promise, data)

    @activity.defn(name="check_promise")
    def check_promise(self, data: PromiseCheckInput) -> bool:
        return run_command(self.engine, collection_cases.check_promise, data)

    @activity.defn(name="open_dispute")
    def open_dispute(self, data: DisputeInput) -> int:
        return run_command(self.engine, collection_cases.open_dispute, data)

    @activity.defn(name="resolve_dispute")
    def resolve_dispute(self, data: DisputeInput) -> InvoicePosition:
        """Resolve it and read the invoice's position in the same transaction."""
        with transaction(self.engine) as session:
            collection_cases.resolve_dispute(session, data)
            return invoices.position(session, data.invoice_id)

    @activity.defn(name="propose_bad_debt")
    def propose_bad_debt(self, data: InvoiceRef) -> BadDebtProposed:
        return run_command(self.engine, collection_cases.propose_bad_debt, data.invoice_id)

    @activity.defn(name="decide_bad_debt")
    def decide_bad_debt(self, data: BadDebtDecisionInput) -> None:
        run_command(self.engine, collection_cases.decide_bad_debt, data)

    @activity.defn(name="write_off_bad_debt")
    def write_off_bad_debt(self, data: WriteOffBadDebtInput) -> InvoicePosition:
        return run_command(self.engine, dunning.write_off_bad_debt, data)

    @activity.defn(name="send_dunning_digests")
    def send_dunning_digests(self, data: DigestInput) -> DigestResult:
        outbox_ids = run_command(self.engine, dunning_digest.send_digests, data.on, self.seller)
        return DigestResult(outbox_ids=outbox_ids)

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.dunning_plan,
            self.take_dunning_step,
            self.open_collection_task,
            self.remind_collector,
            self.escalate_collection_task,
            self.close_collection_task,
            self.record_collection_outcome,
            self.record_promise,
            self.check_promise,
            self.open_dispute,
            self.resolve_dispute,
            self.propose_bad_debt,
            self.decide_bad_debt,
            self.write_off_bad_debt,
            self.send_dunning_digests,
        ]
