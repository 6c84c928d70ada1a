"""InvoiceCollectionWorkflow's pauses: a promise to pay holds the ladder until the promised date
plus grace, then is checked (kept closes the task, broken escalates it and marks the customer);
a dispute holds the ladder and the days-past-due count until it is resolved (Updates)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.collection.registry import CollectionActivities
    from models.collection.messages import (
        DisputeInput,
        DisputeUpdate,
        PromiseCheckInput,
        PromiseInput,
        PromiseUpdate,
    )
    from models.errors import Conflict, InvalidInput
    from workflows.collection.state import CollectionState
    from workflows.steps import db_step


class CollectionPauses(CollectionState):
    def start_promise(self, promise_id: int | None, promised_date: date) -> None:
        assert self.plan is not None
        if promise_id is None:
            return
        grace = timedelta(days=self.plan.terms.promise_grace_days + 1)
        self.pauses.promise_id = promise_id
        self.pauses.promise_until = datetime.combine(promised_date, time.min, tzinfo=UTC) + grace

    def promise_due(self) -> datetime | None:
        return None if self.disputed else self.pauses.promise_until

    async def check_promise(self) -> None:
        due = self.promise_due()
        if due is None or workflow.now() < due or self.pauses.promise_id is None:
            return
        kept = await db_step(
            CollectionActivities.check_promise,
            PromiseCheckInput(promise_id=self.pauses.promise_id, at=workflow.now()),
        )
        self.pauses.promise_id = None
        self.pauses.promise_until = None
        if kept:
            await self.close_task("promise_kept", "the promised payment arrived")
        else:
            await self.escalate_task("broken-promise")

    def check_promise_terms(self, promised_date: date, amount: Decimal) -> None:
        self._check_collectable()
        if promised_date < workflow.now().date():
            raise InvalidInput.failure(f"promised_date {promised_date} is in the past")
        assert self.position is not None
        if amount <= 0 or amount > self.position.outstanding:
            raise InvalidInput.failure(
                f"amount must be above 0 and at most the {self.position.outstanding} outstanding"
            )

    def _check_collectable(self) -> None:
        if self.position is None or self.plan is None:
            raise Conflict.failure("the invoice's collection is starting")
        if self.position.outstanding <= 0:
            raise Conflict.failure(f"the invoice is {self.position.status}")

    @workflow.update
    async def promise_to_pay(self, update: PromiseUpdate) -> int:
        promise_id = await db_step(
            CollectionActivities.record_promise,
            PromiseInput(**update.model_dump(), invoice_id=self.invoice_id, at=workflow.now()),
        )
        self.start_promise(promise_id, update.promised_date)
        self.money_moved()
        return promise_id

    @promise_to_pay.validator
    def _validate_promise(self, update: PromiseUpdate) -> None:
        self.check_promise_terms(update.promised_date, update.amount)

    @workflow.update
    async def open_dispute(self, update: DisputeUpdate) -> str:
        self.pauses.disputed_since = workflow.now()  # the ladder stops at once, not after the write
        try:
            await db_step(
                CollectionActivities.open_dispute,
                DisputeInput(**update.model_dump(), invoice_id=self.invoice_id, at=workflow.now()),
            )
        except Exception:
            self.pauses.disputed_since = None
            raise
        self.money_moved()
        return "disputed"

    @open_dispute.validator
    def _validate_dispute(self, update: DisputeUpdate) -> None:
        self._check_collectable()
        if self.disputed:
            raise Conflict.failure("the invoice is already in dispute")

    @workflow.update
    async def resolve_dispute(self, update: DisputeUpdate) -> str:
        assert self.pauses.disputed_since is not None
        position = await db_step(
            CollectionActivities.resolve_dispute,
            DisputeInput(**update.model_dump(), invoice_id=self.invoice_id, at=workflow.now()),
        )
        self.pauses.dispute_time += workflow.now() - self.pauses.disputed_since
        self.pauses.disputed_since = None
        self.position = position
        self.on_resume()
        self.money_moved()
        return position.status

    @resolve_dispute.validator
    def _validate_resolve(self, update: DisputeUpdate) -> None:
        if not self.disputed:
            raise Conflict.failure("the invoice is not in dispute")
