"""OrderWorkflow's billing, per the customer's invoice policy: on_order bills the ordered
quantities right after approval, on_shipment what shipped once it is dispatched, on_delivery
what shipped once it is delivered. Each invoice is e-mailed and its collection left to a child
InvoiceCollectionWorkflow that outlives the order if it must. The mail (its PDF rendered once per
version, in the worker's PDF processes) is sent by a MailDeliveryWorkflow of its own: neither the
collection nor the order's close waits for the PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.receivables.registry import ReceivablesActivities
    from models.receivables.policies import InvoicePolicy
    from models.sales.messages import (
        CollectionResult,
        CreditOrderInput,
        DeliverEmailInput,
        InvoiceCollectionInput,
        IssueInvoiceInput,
        OrderRef,
    )
    from models.sales.order_status import OrderStatus
    from models.workflow_ids import invoice_workflow_id, mail_workflow_id
    from workflows.collection.invoice_collection import InvoiceCollectionWorkflow
    from workflows.documents.mail_delivery import MailDeliveryWorkflow
    from workflows.sales.order_state import OrderState
    from workflows.steps import db_step, document_step, send_mail

S = OrderStatus
P = InvoicePolicy
SETTLED = ("paid", "written_off")
# Histories recorded before sent the invoice mail in the order, before starting its collection.
MAIL_ON_ITS_OWN = "invoice-mail-on-its-own"


@dataclass
class Billing:
    """The order's invoices under the customer's invoice policy, and their collections."""

    invoice_policy: InvoicePolicy | None = None
    billed: bool = False
    invoice_numbers: list[str] = field(default_factory=list)
    collections: list[workflow.ChildWorkflowHandle] = field(default_factory=list)
    paid: bool = False  # every invoice settled (paid or written off)


class BillingStage(OrderState):
    def __init__(self) -> None:
        super().__init__()
        self.billing = Billing()

    async def bill_order(self) -> None:
        """Right after approval: read the policy; on_order bills the ordered quantities now."""
        policy = await db_step(
            ReceivablesActivities.invoice_policy,
            OrderRef(order_id=self.order_id, at=workflow.now()),
        )
        self.billing.invoice_policy = InvoicePolicy(policy)
        if self.billing.invoice_policy == P.ON_ORDER:
            number = await self._issue(None)
            await self.move(self.status or S.APPROVED, "billed_in_advance", detail=number)
            self.billing.billed = True

    async def bill_shipment(self, shipment_id: int) -> None:
        """Once dispatched: on_shipment bills what shipped; on_order is invoiced already."""
        if self.billing.invoice_policy == P.ON_SHIPMENT:
            await self._issue(shipment_id)
            self.billing.billed = True
        if self.billing.invoice_policy != P.ON_DELIVERY:
            await self.move(S.INVOICED, "invoiced", detail=", ".join(self.billing.invoice_numbers))

    async def bill_delivery(self, shipment_id: int) -> None:
        """Once delivered: on_delivery bills what was delivered (the shipment's quantities)."""
        if self.billing.invoice_policy == P.ON_DELIVERY and not self.billing.billed:
            await self._issue(shipment_id)
            self.billing.billed = True
            await self.move(S.INVOICED, "invoiced", detail=", ".join(self.billing.invoice_numbers))

    async def credit_if_billed(self) -> None:
        """A cancelled order that was billed in advance gets its invoice credited in full."""
        if self.billing.billed:
            await db_step(
                ReceivablesActivities.credit_cancelled_order,
                CreditOrderInput(order_id=self.order_id, at=workflow.now()),
            )

    async def await_collection(self) -> None:
        """Until every invoice of the order is settled (paid or written off)."""
        await workflow.wait_condition(lambda: self.billing.billed)
        results: list[CollectionResult] = [await handle for handle in self.billing.collections]
        self.billing.paid = all(result.outcome in SETTLED for result in results)

    async def _issue(self, shipment_id: int | None) -> str:
        issued = await document_step(
            ReceivablesActivities.issue_invoice,
            IssueInvoiceInput(
                order_id=self.order_id, shipment_id=shipment_id, issue_date=workflow.now().date()
            ),
        )
        self.billing.invoice_numbers.append(issued.number)
        mail_on_its_own = issued.email_outbox_id is not None and workflow.patched(MAIL_ON_ITS_OWN)
        if issued.email_outbox_id is not None and not mail_on_its_own:
            await send_mail(issued.email_outbox_id)
        # The collection first: a payment recorded the moment the invoice exists is signalled to
        # it, and waits in the outbox until it has started.
        collection = await workflow.start_child_workflow(
            InvoiceCollectionWorkflow.run,
            InvoiceCollectionInput(
                invoice_id=issued.invoice_id,
                customer_id=issued.customer_id,
                due_date=issued.due_date,
                outstanding=issued.total,
            ),
            id=invoice_workflow_id(issued.invoice_id),
            parent_close_policy=workflow.ParentClosePolicy.ABANDON,
        )
        self.billing.collections.append(collection)
        if mail_on_its_own:
            await workflow.start_child_workflow(
                MailDeliveryWorkflow.run,
                DeliverEmailInput(outbox_id=issued.email_outbox_id or 0),
                id=mail_workflow_id(issued.email_outbox_id),
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            )
        return issued.number
