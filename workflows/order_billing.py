"""OrderWorkflow's billing: issue the invoice for what shipped, e-mail it, and leave its
collection to a child InvoiceCollectionWorkflow that outlives the order if it must."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.order_status import OrderStatus
    from models.workflow_messages import (
        CollectionResult,
        DeliverEmailInput,
        InvoiceCollectionInput,
        InvoiceIssued,
        IssueInvoiceInput,
    )
    from workflows.invoice_collection import InvoiceCollectionWorkflow
    from workflows.order_state import OrderState
    from workflows.steps import document_step, mail_step

S = OrderStatus
SETTLED = ("paid", "written_off")


class BillingStage(OrderState):
    def __init__(self) -> None:
        super().__init__()
        self.paid = False
        self.invoice_numbers: list[str] = []

    async def invoice_shipment(self, shipment_id: int) -> workflow.ChildWorkflowHandle:
        issued = await document_step(
            "issue_invoice",
            IssueInvoiceInput(
                order_id=self.order_id, shipment_id=shipment_id, issue_date=workflow.now().date()
            ),
            InvoiceIssued,
        )
        self.invoice_numbers.append(issued.number)
        if issued.email_outbox_id is not None:
            await mail_step("deliver_email", DeliverEmailInput(outbox_id=issued.email_outbox_id))
        collection = await workflow.start_child_workflow(
            InvoiceCollectionWorkflow.run,
            InvoiceCollectionInput(
                invoice_id=issued.invoice_id,
                customer_id=issued.customer_id,
                due_date=issued.due_date,
                outstanding=issued.total,
            ),
            id=f"invoice-{issued.invoice_id}",
            parent_close_policy=workflow.ParentClosePolicy.ABANDON,
        )
        await self.move(S.INVOICED, "invoiced", detail=issued.number)
        return collection

    async def await_collection(self, handle: workflow.ChildWorkflowHandle) -> None:
        result: CollectionResult = await handle
        self.paid = result.outcome in SETTLED
