"""InvoiceCollectionWorkflow (`invoice-{id}`): one invoice from issued to settled.

Every payment, credit note, write-off or reversal arrives as a `settlement` signal; the
workflow then reads the invoice's position from the database, the system of record for money,
and ends when nothing is outstanding. Until then it works the dunning plan of the customer's
policy: a reminder before the due date, overdue the day after, dunning levels by days past due
(fees and interest posted as charges), a collection task at the top with its SLA, promises and
disputes that pause it, and finally a bad-debt write-off proposal. Each part is a mixin; this
class tells the story: read the position, do whatever fell due, sleep until the next moment.
Past its history bound it continues as new before sleeping, carrying all the parts hold.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, time, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.collection.registry import CollectionActivities
    from activities.receivables.registry import ReceivablesActivities
    from models.collection.messages import CollectionView, DunningPlanInput
    from models.sales.messages import (
        INVOICE_COLLECTION_WORKFLOW,
        SETTLEMENT_SIGNAL,
        CollectionCarry,
        CollectionResult,
        InvoiceCollectionInput,
        InvoiceRef,
        InvoiceSettlement,
    )
    from workflows.collection.bad_debt import BadDebtStage
    from workflows.collection.ladder import DunningLadder
    from workflows.collection.pauses import CollectionPauses
    from workflows.collection.tasks import CollectionTasks
    from workflows.collection.write_off import WriteOffApproval
    from workflows.search_attributes import CUSTOMER_ID, DUNNING_LEVEL, INVOICE_DUE_DATE
    from workflows.steps import db_step

OVERDUE_STATES = ("open", "partially_paid")
CONTINUES_AS_NEW = "collection-continues-as-new"


@workflow.defn(name=INVOICE_COLLECTION_WORKFLOW)
class InvoiceCollectionWorkflow(
    DunningLadder, CollectionTasks, CollectionPauses, BadDebtStage, WriteOffApproval
):
    @workflow.init
    def __init__(self, invoice: InvoiceCollectionInput) -> None:
        super().__init__()
        self.invoice_id = invoice.invoice_id
        self.customer_id = invoice.customer_id
        self.overdue_at = datetime.combine(invoice.due_date, time.min, tzinfo=UTC) + timedelta(
            days=1
        )
        if invoice.carried is not None:
            self._resume(invoice.carried)

    @workflow.run
    async def run(self, invoice: InvoiceCollectionInput) -> CollectionResult:
        if invoice.carried is None:
            await self._begin(invoice)
        while True:
            self.changed = False
            position = await self.read_position()
            if position.outstanding <= 0:
                return await self._settled(position.status)
            await self._mark_overdue(position.status)
            await self.check_promise()
            await self.climb()
            await self.follow_task()
            await self.propose_write_off()
            wake = self._next_moment()
            if wake is not None and wake <= workflow.now():
                continue
            if self._time_to_continue(invoice.history_bound):
                workflow.continue_as_new(invoice.model_copy(update={"carried": self._carry()}))
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: self.changed,
                    timeout=wake - workflow.now() if wake is not None else None,
                )

    async def _begin(self, invoice: InvoiceCollectionInput) -> None:
        """The first run only: its search attributes and the plan of the policy in force now
        (a run continued as new keeps both)."""
        due_at = datetime.combine(invoice.due_date, time.min, tzinfo=UTC)
        workflow.upsert_search_attributes(
            [
                CUSTOMER_ID.value_set(str(invoice.customer_id)),
                INVOICE_DUE_DATE.value_set(due_at),
                DUNNING_LEVEL.value_set(0),
            ]
        )
        self.plan = await db_step(
            CollectionActivities.dunning_plan,
            DunningPlanInput(invoice_id=self.invoice_id, at=workflow.now()),
        )
        if invoice.start_at_level > 0:  # never set in histories recorded before imports
            self.start_at(invoice.start_at_level)

    def _time_to_continue(self, bound: int) -> bool:
        """Continue as new once the history is long, at a quiet point: the loop awaits no
        activity here and no handler is running. Histories from before the patch never do."""
        return (
            _history_is_long(bound)
            and workflow.all_handlers_finished()
            and workflow.patched(CONTINUES_AS_NEW)
        )

    def _carry(self) -> CollectionCarry:
        assert self.plan is not None
        return CollectionCarry(
            plan=self.plan,
            position=self.position,
            stale=self.stale,
            level=self.level,
            last_level_at=self.last_level_at,
            pauses=self.pauses,
            ladder=self.ladder,
            task=self.task,
            proposal=self.proposal,
        )

    def _resume(self, carried: CollectionCarry) -> None:
        self.plan = carried.plan
        self.position = carried.position
        self.stale = carried.stale
        self.level = carried.level
        self.last_level_at = carried.last_level_at
        self.pauses = carried.pauses
        self.ladder = carried.ladder
        self.task = carried.task
        self.proposal = carried.proposal

    def _next_moment(self) -> datetime | None:
        overdue = (
            self.overdue_at if self.position and self.position.status in OVERDUE_STATES else None
        )
        moments = [
            overdue,
            self.ladder_due(),
            self.promise_due(),
            self.task_due(),
            self.proposal_due(),
        ]
        due = [m for m in moments if m is not None]
        return min(due) if due else None

    async def _mark_overdue(self, status: str) -> None:
        if workflow.now() >= self.overdue_at and status in OVERDUE_STATES:
            self.position = await db_step(
                ReceivablesActivities.mark_invoice_overdue,
                InvoiceRef(invoice_id=self.invoice_id, at=workflow.now()),
            )

    async def _settled(self, status: str) -> CollectionResult:
        await self.close_task(status, f"invoice {status}")
        # Always waited for its handlers (no patch needed, unlike workflows/handlers.py).
        await workflow.wait_condition(workflow.all_handlers_finished)
        return CollectionResult(invoice_id=self.invoice_id, outcome=status)

    @workflow.signal(name=SETTLEMENT_SIGNAL)
    def settlement(self, event: InvoiceSettlement) -> None:
        self.money_moved()

    @workflow.query
    def current_outstanding(self) -> str | None:
        return str(self.position.outstanding) if self.position else None

    @workflow.query
    def collection(self) -> CollectionView:
        return CollectionView(
            invoice_id=self.invoice_id,
            level=self.level,
            outstanding=self.position.outstanding if self.position else None,
            paused_by=self.dunning_paused_by,
            task_id=self.task.task_id if self.task.open else None,
            assignee=self.task.assignee,
            promise_until=self.pauses.promise_until,
            proposal_id=self.proposal.id,
            sla_due=self.task_due(),
        )


def _history_is_long(bound: int) -> bool:
    info = workflow.info()
    return info.is_continue_as_new_suggested() or info.get_current_history_length() >= bound
