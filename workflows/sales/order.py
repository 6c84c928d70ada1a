"""OrderWorkflow (`order-{id}`): one sales order's life, from entry to closed.

credit gate -> approval levels (Updates) -> stock reservation (backordered until stock arrives) ->
shipments (child ShipmentWorkflows; partial ones per the order's policy) -> invoices per the
customer's invoice policy (on order, per shipment, or per delivered shipment; each with a child
InvoiceCollectionWorkflow) -> paid and delivered -> closed. Each stage lives in its own module
(order_credit, order_approval, order_fulfilment, order_billing); this class tells the story and
handles cancellation.
Every status change is written to the database and mirrored in the OrderStatus attribute.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.errors import Conflict
    from models.receivables.policies import InvoicePolicy
    from models.sales.messages import ORDER_WORKFLOW, Decision, OrderInput, OrderResult
    from models.sales.order_status import CANCELLABLE, OrderStatus
    from workflows.handlers import let_handlers_finish
    from workflows.sales.order_approval import ApprovalStage
    from workflows.sales.order_billing import BillingStage
    from workflows.sales.order_fulfilment import FulfilmentStage
    from workflows.search_attributes import CUSTOMER_ID, ORDER_TOTAL

S = OrderStatus
IMPORTED_ORDERS = "imported-open-orders"


@workflow.defn(name=ORDER_WORKFLOW)
class OrderWorkflow(ApprovalStage, FulfilmentStage, BillingStage):
    @workflow.init
    def __init__(self, order: OrderInput) -> None:
        # State from the input before any handler runs: an Update arriving with the start
        # already sees the order as entry left it.
        super().__init__()
        self.order_id = order.order_id
        self.status = OrderStatus(order.status)
        self.credit.hold_days, self.credit.blocked = order.hold_days, order.credit_blocked

    @workflow.run
    async def run(self, order: OrderInput) -> OrderResult:
        await self._live(order)
        await let_handlers_finish()
        return OrderResult(order_id=self.order_id, status=str(self.status))

    async def _live(self, order: OrderInput) -> None:
        """The order's story, to whichever end it comes."""
        workflow.upsert_search_attributes(
            [
                CUSTOMER_ID.value_set(str(order.customer_id)),
                ORDER_TOTAL.value_set(float(order.total)),
            ]
        )
        if not await self._approved_already(order) and not await self.sell(
            OrderStatus(order.status)
        ):
            return
        await self.bill_order()
        if not await self.reserve_stock():
            await self.credit_if_billed()
            return
        async for shipment_id in self.dispatched_shipments():
            await self.bill_shipment(shipment_id)
        if self.cancelled:  # cancelled while backordered: its stock went back
            await self.credit_if_billed()
            return
        billed_on_delivery = self.billing.invoice_policy == InvoicePolicy.ON_DELIVERY
        collected = None if billed_on_delivery else asyncio.ensure_future(self.await_collection())
        await workflow.wait_condition(lambda: self.billing.paid or self.all_delivered)
        if not self.billing.paid:
            await self.move(S.DELIVERED, "delivered")
        for shipment_id in self.fulfilment.dispatched_ids:
            await self.bill_delivery(shipment_id)
        await (collected or self.await_collection())
        await self.move(S.PAID, "paid")
        await self.await_delivery()
        await self.move(S.CLOSED, "closed")

    async def _approved_already(self, order: OrderInput) -> bool:
        """An open order imported as approved skips the credit gate and approval; the patch
        marker is written only for such orders, so older histories replay unchanged."""
        if not (order.imported and workflow.patched(IMPORTED_ORDERS)):
            return False
        self.status = S.APPROVED
        return True

    @workflow.update
    async def cancel(self, decision: Decision) -> str:
        """Before anything shipped: the whole order (its stock and credit are released). After
        a partial shipment: the remainder only; what shipped is still billed and collected."""
        if self.fulfilment.dispatched_ids and self.status is not None:
            await self.move(
                self.status, "remainder_cancelled", actor=decision.user, detail=decision.comment
            )
            await self.cancel_remainder()
            return str(self.status)
        await self.move(S.CANCELLED, "cancelled", actor=decision.user, detail=decision.comment)
        self.cancel_reason = decision.comment or "cancelled"
        return str(self.status)

    @cancel.validator
    def _validate_cancel(self, decision: Decision) -> None:
        if self.cancelled or self.fulfilment.remainder_cancelled:
            raise Conflict.failure("the order is cancelled already")
        shipped = self.fulfilment.dispatched_ids
        nothing_shipped = self.status in CANCELLABLE and not shipped
        remainder_open = bool(shipped) and not self.fulfilment.fulfilled
        if not (nothing_shipped or remainder_open):
            raise Conflict.failure(f"an order that is {self.status} cannot be cancelled")

    @workflow.query
    def current_status(self) -> str | None:
        return self.status
