"""InvoiceCollectionWorkflow's dunning ladder: the reminder before the due date, then each level
on its day past due, one step at a time; fee and interest are posted with the step. A level
flagged `escalate`, and the last level, open a collection task."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.collection.registry import CollectionActivities
    from models.collection.messages import TakeStepInput
    from models.collection.progress import LadderProgress
    from workflows.collection.state import CollectionState
    from workflows.search_attributes import DUNNING_LEVEL
    from workflows.steps import db_step

ONE_STEP_A_DAY = timedelta(days=1)


class DunningLadder(CollectionState):
    def __init__(self) -> None:
        super().__init__()
        self.ladder = LadderProgress()

    def ladder_due(self) -> datetime | None:
        """When the next step falls, or None while paused or at the top of the ladder.
        After a pause, missed levels are climbed a day apart, never several at once."""
        if (
            self.plan is None
            or self.dunning_paused_by
            or self.ladder.next_step >= len(self.plan.steps)
        ):
            return None
        at = self.moment(self.plan.steps[self.ladder.next_step].days)
        if self.ladder.last_step_at is not None:
            at = max(at, self.ladder.last_step_at + ONE_STEP_A_DAY)
        return at

    def start_at(self, level: int) -> None:
        """An invoice that arrives already overdue (imported) begins at `level`: the reminder
        and the levels below it are passed over, not sent, and the days before today are not
        charged interest again (the old system did). The step at `level` is taken at once."""
        assert self.plan is not None
        while (
            self.ladder.next_step < len(self.plan.steps)
            and self.plan.steps[self.ladder.next_step].level < level
        ):
            self.ladder.next_step += 1
        self.ladder.interest_days_charged = self.days_past_due()

    async def climb(self) -> None:
        due = self.ladder_due()
        if due is None or workflow.now() < due:
            return
        assert self.plan is not None
        step = self.plan.steps[self.ladder.next_step]
        past_due = self.days_past_due()
        result = await db_step(
            CollectionActivities.take_dunning_step,
            TakeStepInput(
                invoice_id=self.invoice_id,
                level=step.level,
                spec=step.spec,
                days_past_due=past_due,
                interest_days=past_due - self.ladder.interest_days_charged if step.level else 0,
                on=workflow.now().date(),
                at=workflow.now(),
            ),
        )
        self.ladder.next_step += 1
        self.ladder.last_step_at = workflow.now()
        if not result.taken or step.level == 0:
            return
        self.ladder.interest_days_charged = past_due
        self.level = step.level
        workflow.upsert_search_attributes([DUNNING_LEVEL.value_set(step.level)])
        if step.last:
            self.last_level_at = workflow.now()
        if step.last or (step.spec is not None and step.spec.escalate):
            await self.open_task(step.level)
