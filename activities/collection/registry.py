"""The Temporal activities of collection (dunning ladder, tasks, promises, disputes, bad debt,
the daily digest): each opens one transaction around a use case. Mail goes out through the
foundation's `deliver_email` activity."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio import activity

from activities.collection import cases as collection_cases
from activities.collection import digest as dunning_digest
from activities.collection import dunning
from activities.collection import tasks as collection_tasks
from activities.receivables import invoices
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

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @activity.defn(name="dunning_plan")
    def dunning_plan(self, data: DunningPlanInput) -> DunningPlan:
        with self._session() as session:
            return dunning.dunning_plan(session, data.invoice_id)

    @activity.defn(name="take_dunning_step")
    def take_dunning_step(self, data: TakeStepInput) -> StepResult:
        with self._session() as session, session.begin():
            return dunning.take_step(session, data)

    @activity.defn(name="open_collection_task")
    def open_collection_task(self, data: OpenTaskInput) -> TaskState:
        with self._session() as session, session.begin():
            return collection_tasks.open_task(session, data)

    @activity.defn(name="remind_collector")
    def remind_collector(self, data: TaskNoticeInput) -> TaskState:
        with self._session() as session, session.begin():
            return collection_tasks.remind_collector(session, data)

    @activity.defn(name="escalate_collection_task")
    def escalate_collection_task(self, data: TaskNoticeInput) -> TaskState:
        with self._session() as session, session.begin():
            return collection_tasks.escalate_task(session, data)

    @activity.defn(name="close_collection_task")
    def close_collection_task(self, data: CloseTaskInput) -> None:
        with self._session() as session, session.begin():
            collection_tasks.close_task(session, data)

    @activity.defn(name="record_collection_outcome")
    def record_collection_outcome(self, data: OutcomeInput) -> TaskState:
        with self._session() as session, session.begin():
            return collection_tasks.record_outcome(session, data)

    @activity.defn(name="record_promise")
    def record_promise(self, data: PromiseInput) -> int:
        with self._session() as session, session.begin():
            return collection_cases.record_promise(session, data)

    @activity.defn(name="check_promise")
    def check_promise(self, data: PromiseCheckInput) -> bool:
        with self._session() as session, session.begin():
            return collection_cases.check_promise(session, data)

    @activity.defn(name="open_dispute")
    def open_dispute(self, data: DisputeInput) -> int:
        with self._session() as session, session.begin():
            return collection_cases.open_dispute(session, data)

    @activity.defn(name="resolve_dispute")
    def resolve_dispute(self, data: DisputeInput) -> InvoicePosition:
        with self._session() as session, session.begin():
            collection_cases.resolve_dispute(session, data)
            return invoices.position(session, data.invoice_id)

    @activity.defn(name="propose_bad_debt")
    def propose_bad_debt(self, data: InvoiceRef) -> BadDebtProposed:
        with self._session() as session, session.begin():
            return collection_cases.propose_bad_debt(session, data.invoice_id)

    @activity.defn(name="decide_bad_debt")
    def decide_bad_debt(self, data: BadDebtDecisionInput) -> None:
        with self._session() as session, session.begin():
            collection_cases.decide_bad_debt(session, data)

    @activity.defn(name="write_off_bad_debt")
    def write_off_bad_debt(self, data: WriteOffBadDebtInput) -> InvoicePosition:
        with self._session() as session, session.begin():
            return dunning.write_off_bad_debt(session, data)

    @activity.defn(name="send_dunning_digests")
    def send_dunning_digests(self, data: DigestInput) -> DigestResult:
        with self._session() as session, session.begin():
            return DigestResult(
                outbox_ids=dunning_digest.send_digests(session, data.on, self.seller)
            )

    def all(self) -> list[object]:
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
