"""InvoiceCollectionWorkflow (`invoice-{id}`): one invoice from issued to settled.
Every payment, credit note, write-off or reversal arrives as a `settlement` signal; the
workflow then reads the invoice's position from the database, the system of record for money.
When the due date passes with money still open, the invoice is marked overdue."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, time, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.workflow_messages import (
        CollectionResult,
        InvoiceCollectionInput,
        InvoicePosition,
        InvoiceRef,
        InvoiceSettlement,
    )
    from workflows.collection_write_off import WriteOffApproval
    from workflows.search_attributes import CUSTOMER_ID, INVOICE_DUE_DATE
    from workflows.steps import db_step


@workflow.defn
class InvoiceCollectionWorkflow(WriteOffApproval):
    def __init__(self) -> None:
        self.invoice_id = 0
        self.changed = False
        self.position: InvoicePosition | None = None

    @workflow.run
    async def run(self, invoice: InvoiceCollectionInput) -> CollectionResult:
        self.invoice_id = invoice.invoice_id
        due_at = datetime.combine(invoice.due_date, time.min, tzinfo=UTC)
        overdue_at = due_at + timedelta(days=1)
        workflow.upsert_search_attributes(
            [CUSTOMER_ID.value_set(str(invoice.customer_id)), INVOICE_DUE_DATE.value_set(due_at)]
        )
        while True:
            self.changed = False
            position = await self._read("invoice_position")
            if position.outstanding <= 0:
                return CollectionResult(invoice_id=self.invoice_id, outcome=position.status)
            if workflow.now() >= overdue_at and position.status != "overdue":
                await self._read("mark_invoice_overdue")
            wait = overdue_at - workflow.now()
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: self.changed, timeout=wait if wait > timedelta(0) else None
                )

    async def _read(self, step: str) -> InvoicePosition:
        self.position = await db_step(
            step, InvoiceRef(invoice_id=self.invoice_id, at=workflow.now()), InvoicePosition
        )
        return self.position

    @workflow.signal
    def settlement(self, event: InvoiceSettlement) -> None:
        self.changed = True

    @workflow.query
    def current_outstanding(self) -> str | None:
        return str(self.position.outstanding) if self.position else None
