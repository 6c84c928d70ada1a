"""InvoiceCollectionWorkflow (`invoice-{id}`): one invoice from issued to settled.
Hears of every payment, credit note and write-off (signal `settlement`, idempotent by event
id); when the due date passes with money still open, the invoice is marked overdue."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.workflow_messages import (
        CollectionResult,
        InvoiceCollectionInput,
        InvoiceSettlement,
        MarkOverdueInput,
    )
    from workflows.search_attributes import CUSTOMER_ID, INVOICE_DUE_DATE
    from workflows.steps import db_step


@workflow.defn
class InvoiceCollectionWorkflow:
    def __init__(self) -> None:
        self.invoice_id = 0
        self.outstanding: Decimal | None = None
        self.seen_events: set[str] = set()
        self.overdue = False

    @workflow.run
    async def run(self, invoice: InvoiceCollectionInput) -> CollectionResult:
        self.invoice_id = invoice.invoice_id
        if self.outstanding is None:
            self.outstanding = invoice.outstanding
        due_at = datetime.combine(invoice.due_date, time.min, tzinfo=UTC)
        workflow.upsert_search_attributes(
            [CUSTOMER_ID.value_set(str(invoice.customer_id)), INVOICE_DUE_DATE.value_set(due_at)]
        )
        # Overdue from the day after the due date, unless settled before.
        until_overdue = due_at + timedelta(days=1) - workflow.now()
        try:
            if until_overdue > timedelta(0):
                await workflow.wait_condition(self._settled, timeout=until_overdue)
        except TimeoutError:
            pass
        if not self._settled():
            self.overdue = await db_step(
                "mark_invoice_overdue",
                MarkOverdueInput(invoice_id=self.invoice_id, at=workflow.now()),
                bool,
            )
            await workflow.wait_condition(self._settled)
        return CollectionResult(invoice_id=self.invoice_id, outcome="paid")

    @workflow.signal
    def settlement(self, event: InvoiceSettlement) -> None:
        if event.event_id in self.seen_events:
            return
        self.seen_events.add(event.event_id)
        current = event.outstanding if self.outstanding is None else self.outstanding
        # Outstanding only falls with payments; a late, older message must not raise it again.
        self.outstanding = min(current, event.outstanding)

    @workflow.query
    def current_outstanding(self) -> str:
        return str(self.outstanding)

    def _settled(self) -> bool:
        return self.outstanding is not None and self.outstanding <= 0
