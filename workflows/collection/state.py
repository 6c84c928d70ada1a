"""What every part of InvoiceCollectionWorkflow shares: the invoice, its position read from the
database, the dunning plan, and the pauses (a dispute, a promise to pay) that stop the ladder.
Each part (ladder, tasks, pauses, bad debt) is a mixin over this base, in a module of its own,
and names the moment its next duty falls due; the workflow sleeps until the earliest one."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.receivables.registry import ReceivablesActivities
    from models.collection.dunning_terms import days_past_due, step_moment
    from models.collection.messages import DunningPlan
    from models.collection.progress import Pauses
    from models.sales.messages import InvoicePosition, InvoiceRef
    from workflows.steps import db_step


class CollectionState:
    def __init__(self) -> None:
        self.invoice_id = 0
        self.customer_id = 0
        self.changed = False
        self.stale = True  # the position must be read again (money moved)
        self.position: InvoicePosition | None = None
        self.plan: DunningPlan | None = None
        self.level = 0
        self.last_level_at: datetime | None = None  # when the top of the ladder was reached
        self.pauses = Pauses()

    def money_moved(self) -> None:
        self.stale = True
        self.changed = True

    @property
    def disputed(self) -> bool:
        return self.pauses.disputed_since is not None

    @property
    def dunning_paused_by(self) -> str | None:
        if self.disputed:
            return "dispute"
        if self.pauses.promise_until is not None:
            return "promise"
        return None

    def moment(self, days: int) -> datetime:
        assert self.plan is not None
        return step_moment(
            self.plan.due_date, days, self.plan.terms.run_at, self.pauses.dispute_time
        )

    def days_past_due(self) -> int:
        assert self.plan is not None
        return days_past_due(self.plan.due_date, workflow.now().date(), self.pauses.dispute_time)

    async def read_position(self) -> InvoicePosition:
        """Read from the database only when money may have moved: every payment, credit note
        or write-off signals `settlement`, so a timer firing alone costs no read."""
        if self.position is not None and not self.stale:
            return self.position
        self.stale = False
        self.position = await db_step(
            ReceivablesActivities.invoice_position,
            InvoiceRef(invoice_id=self.invoice_id, at=workflow.now()),
        )
        return self.position

    def on_resume(self) -> None:
        """Dunning goes on after a dispute: parts with timers restart them."""

    # Provided by CollectionTasks; the ladder and the pauses call them.
    async def open_task(self, level: int) -> None:
        raise NotImplementedError

    async def escalate_task(self, reason: str) -> None:
        raise NotImplementedError

    async def close_task(self, outcome: str, note: str, by: str = "system") -> None:
        raise NotImplementedError

    # Provided by CollectionPauses; the task's outcomes call them.
    def start_promise(self, promise_id: int | None, promised_date: date) -> None:
        raise NotImplementedError

    def check_promise_terms(self, promised_date: date, amount: Decimal) -> None:
        raise NotImplementedError
