"""OrderWorkflow (`order-{id}`): one sales order's life, from entry to closed.

credit gate -> approval (Update) -> stock reservation (backordered until stock arrives) ->
shipments (child ShipmentWorkflows; partial ones per the order's policy) -> an invoice per
dispatched shipment (child InvoiceCollectionWorkflows) -> paid and delivered -> closed.
Each stage lives in its own module (order_approval, order_fulfilment, order_billing); this
class tells the story and handles cancellation.
Every status change is written to the database and mirrored in the OrderStatus attribute.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from models.order_status import CANCELLABLE, OrderStatus
    from models.workflow_messages import Decision, OrderInput, OrderResult
    from workflows.order_approval import ApprovalStage
    from workflows.order_billing import BillingStage
    from workflows.order_fulfilment import FulfilmentStage
    from workflows.search_attributes import CUSTOMER_ID, ORDER_TOTAL

S = OrderStatus


@workflow.defn
class OrderWorkflow(ApprovalStage, FulfilmentStage, BillingStage):
    @workflow.init
    def __init__(self, order: OrderInput) -> None:
        # State from the input before any handler runs: an Update arriving with the start
        # already sees the order as entry left it.
        super().__init__()
        self.order_id = order.order_id
        self.status = OrderStatus(order.status)

    @workflow.run
    async def run(self, order: OrderInput) -> OrderResult:
        workflow.upsert_search_attributes(
            [
                CUSTOMER_ID.value_set(str(order.customer_id)),
                ORDER_TOTAL.value_set(float(order.total)),
            ]
        )
        if not await self.pass_credit_gate(OrderStatus(order.status)):
            return self._result()
        if not await self.obtain_approval():
            return self._result()
        if not await self.reserve_stock():
            return self._result()
        collections = []
        async for shipment_id in self.dispatched_shipments():  # one invoice per shipment
            handle = await self.invoice_shipment(shipment_id)
            collections.append(asyncio.ensure_future(self.await_collection(handle)))
        if self.cancelled:  # cancelled while backordered: its stock went back
            return self._result()
        await workflow.wait_condition(
            lambda: all(c.done() for c in collections) or self.all_delivered
        )
        if not all(c.done() for c in collections):
            await self.move(S.DELIVERED, "delivered")
        await asyncio.gather(*collections)
        await self.move(S.PAID, "paid")
        await self.await_delivery()
        await self.move(S.CLOSED, "closed")
        return self._result()

    @workflow.update
    async def cancel(self, decision: Decision) -> str:
        await self.move(S.CANCELLED, "cancelled", actor=decision.user, detail=decision.comment)
        self.cancel_reason = decision.comment or "cancelled"
        return str(self.status)

    @cancel.validator
    def _validate_cancel(self, decision: Decision) -> None:
        if self.status not in CANCELLABLE or self.status == S.AWAITING_SHIPMENT:
            raise ApplicationError(
                f"an order that is {self.status} cannot be cancelled", type="Conflict"
            )

    @workflow.query
    def current_status(self) -> str | None:
        return self.status

    def _result(self) -> OrderResult:
        return OrderResult(order_id=self.order_id, status=str(self.status))
