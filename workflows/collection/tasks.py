"""InvoiceCollectionWorkflow's collection task: opened for a collector when the invoice
escalates, with an SLA (a reminder to the collector, then escalation to a collections manager
when nobody works it), and the collector's outcomes as an Update."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.collection.registry import CollectionActivities
    from models.collection.messages import (
        CloseTaskInput,
        OpenTaskInput,
        OutcomeInput,
        OutcomeUpdate,
        TaskNoticeInput,
        TaskState,
    )
    from models.collection.progress import TaskFollowUp
    from models.errors import Conflict, Forbidden, InvalidInput
    from workflows.collection.state import CollectionState
    from workflows.search_attributes import ASSIGNED_TO
    from workflows.steps import db_step, send_mail

MANAGERS = ("credit_manager", "admin")
OUTCOMES = ("contacted", "no_answer", "promise", "dispute", "escalate", "resolved")


class CollectionTasks(CollectionState):
    def __init__(self) -> None:
        super().__init__()
        self.task = TaskFollowUp()

    def task_due(self) -> datetime | None:
        """The SLA: remind the collector at `work_by`, escalate a while later; quiet while the
        invoice is in dispute or under a promise, and once a manager has it."""
        if (
            not self.task.open
            or self.task.escalated
            or self.dunning_paused_by
            or not self.task.work_by
        ):
            return None
        if not self.task.collector_reminded:
            return self.task.work_by
        assert self.plan is not None
        terms = self.plan.terms
        return self.task.work_by + timedelta(
            hours=terms.task_escalate_after_hours - terms.task_remind_after_hours
        )

    def _restart_sla(self, at: datetime) -> None:
        self.task.work_by = at
        self.task.collector_reminded = False

    def on_resume(self) -> None:
        super().on_resume()
        if self.task.open and self.plan is not None:
            hours = self.plan.terms.task_remind_after_hours
            self._restart_sla(workflow.now() + timedelta(hours=hours))

    async def open_task(self, level: int) -> None:
        if self.task.open:
            return
        assert self.plan is not None
        state = await db_step(
            CollectionActivities.open_collection_task,
            OpenTaskInput(invoice_id=self.invoice_id, level=level, at=workflow.now()),
        )
        self.task.task_id = state.task_id
        self.task.open = True
        self.task.escalated = False
        self._restart_sla(workflow.now() + timedelta(hours=self.plan.terms.task_remind_after_hours))
        self.show_assignee(state.assignee)
        await self._mail(state)

    async def follow_task(self) -> None:
        due = self.task_due()
        if due is None or workflow.now() < due or self.task.task_id is None:
            return
        if not self.task.collector_reminded:
            self.task.collector_reminded = True
            state = await db_step(
                CollectionActivities.remind_collector,
                TaskNoticeInput(
                    task_id=self.task.task_id, reason="not worked in time", at=workflow.now()
                ),
            )
            await self._mail(state)
        else:
            await self.escalate_task("sla")

    async def escalate_task(self, reason: str) -> None:
        if self.task.task_id is None:
            await self.open_task(self.level)
        assert self.task.task_id is not None
        self.task.escalated = True
        state = await db_step(
            CollectionActivities.escalate_collection_task,
            TaskNoticeInput(task_id=self.task.task_id, reason=reason, at=workflow.now()),
        )
        self.show_assignee(state.assignee)
        await self._mail(state)

    async def close_task(self, outcome: str, note: str, by: str = "system") -> None:
        if not self.task.open or self.task.task_id is None:
            return
        self.task.open = False
        await db_step(
            CollectionActivities.close_collection_task,
            CloseTaskInput(
                task_id=self.task.task_id, outcome=outcome, note=note, by=by, at=workflow.now()
            ),
        )
        self.show_assignee(None)

    def show_assignee(self, assignee: str | None) -> None:
        self.task.assignee = assignee
        if assignee is None:
            workflow.upsert_search_attributes([ASSIGNED_TO.value_unset()])
        else:
            workflow.upsert_search_attributes([ASSIGNED_TO.value_set(assignee)])

    async def _mail(self, state: TaskState) -> None:
        if state.mail_outbox_id is not None:
            await send_mail(state.mail_outbox_id)

    @workflow.update
    async def record_outcome(self, update: OutcomeUpdate) -> str:
        assert self.plan is not None
        outcome = update.outcome
        state = await db_step(
            CollectionActivities.record_collection_outcome,
            OutcomeInput(**update.model_dump(), invoice_id=self.invoice_id, at=workflow.now()),
        )
        if outcome in ("contacted", "no_answer") and update.follow_up_on is not None:
            follow_up = datetime.combine(update.follow_up_on, time.min, tzinfo=UTC)
            self._restart_sla(max(follow_up, workflow.now()))
        elif outcome in ("contacted", "no_answer"):
            days = 3 if outcome == "contacted" else 1
            self._restart_sla(workflow.now() + timedelta(days=days))
        elif outcome == "promise" and update.promised_date is not None:
            self.start_promise(state.promise_id, update.promised_date)
        elif outcome == "dispute":
            self.pauses.disputed_since = workflow.now()
        elif outcome == "escalate":
            self.task.escalated = True
            self.show_assignee(state.assignee)
            await self._mail(state)
        elif outcome == "resolved":
            self.task.open = False
            self.show_assignee(None)
        self.money_moved()
        return outcome

    @record_outcome.validator
    def _validate_outcome(self, update: OutcomeUpdate) -> None:
        if not self.task.open or update.task_id != self.task.task_id:
            raise Conflict.failure(f"collection task {update.task_id} is closed")
        if update.user != self.task.assignee and not set(update.roles) & set(MANAGERS):
            raise Forbidden.failure(
                f"collection task {update.task_id} is assigned to {self.task.assignee}"
            )
        if update.outcome not in OUTCOMES:
            raise InvalidInput.failure(f"unknown outcome {update.outcome!r}")
        if update.outcome == "promise":
            if update.promised_date is None or update.amount is None:
                raise InvalidInput.failure("a promise needs promised_date and amount")
            self.check_promise_terms(update.promised_date, update.amount)
        if update.outcome == "dispute" and self.disputed:
            raise Conflict.failure("the invoice is already in dispute")
        if update.follow_up_on is not None and update.follow_up_on < workflow.now().date():
            raise InvalidInput.failure("follow_up_on is in the past")
