"""OrderWorkflow (`order-{id}`): one sales order's life, from entry to closed.

credit gate -> approval (Update) -> stock reservation (backorder until stock arrives) ->
shipment (child ShipmentWorkflow) -> invoice on dispatch (child InvoiceCollectionWorkflow) ->
paid and delivered -> closed. Every status change is written to the database by an activity
and mirrored in the OrderStatus search attribute.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from models.order_status import CANCELLABLE, OrderStatus
    from models.workflow_messages import (
        CollectionResult,
        CreditCheckInput,
        CreditCheckResult,
        Decision,
        DecisionInput,
        DeliverEmailInput,
        InvoiceCollectionInput,
        InvoiceIssued,
        IssueInvoiceInput,
        OrderInput,
        OrderResult,
        PlanShipmentInput,
        ReleaseInput,
        ReservationResult,
        ReserveStockInput,
        ShipmentEvent,
        ShipmentInput,
        StatusChangeInput,
    )
    from workflows.invoice_collection import InvoiceCollectionWorkflow
    from workflows.search_attributes import CUSTOMER_ID, ORDER_STATUS, ORDER_TOTAL
    from workflows.shipment import ShipmentWorkflow
    from workflows.steps import db_step, document_step, mail_step

S = OrderStatus
BACKORDER_RECHECK = timedelta(hours=1)


@workflow.defn
class OrderWorkflow:
    def __init__(self) -> None:
        self.order_id = 0
        self.status: OrderStatus | None = None
        self.deciding = False
        self.approved: bool | None = None
        self.released: ReleaseInput | None = None
        self.cancel_reason: str | None = None
        self.stock_arrived = False
        self.dispatched = False
        self.delivered = False
        self.paid = False
        self.seen_events: set[str] = set()
        self.invoice_numbers: list[str] = []

    @workflow.run
    async def run(self, order: OrderInput) -> OrderResult:
        self.order_id = order.order_id
        workflow.upsert_search_attributes(
            [
                CUSTOMER_ID.value_set(str(order.customer_id)),
                ORDER_TOTAL.value_set(float(order.total)),
            ]
        )
        if not await self._credit_gate():
            return self._result()
        if self.status != S.PENDING_APPROVAL:
            await self._move(S.PENDING_APPROVAL, "submitted")
        await workflow.wait_condition(lambda: self.approved is not None or self._cancelled)
        if self._cancelled or not self.approved:
            return self._result()
        if not await self._reserve_stock():
            return self._result()
        await self._ship_invoice_and_collect()
        return self._result()

    # -- stages ------------------------------------------------------------------------------

    async def _credit_gate(self) -> bool:
        check = await db_step(
            "check_credit",
            CreditCheckInput(order_id=self.order_id, at=workflow.now()),
            CreditCheckResult,
        )
        if check.passed:
            return True
        await self._move(S.CREDIT_HOLD, "credit_hold", detail="; ".join(check.reasons))
        await workflow.wait_condition(lambda: self.released is not None or self._cancelled)
        return not self._cancelled

    async def _reserve_stock(self) -> bool:
        while True:
            reservation = await db_step(
                "reserve_stock",
                ReserveStockInput(order_id=self.order_id, at=workflow.now()),
                ReservationResult,
            )
            if reservation.complete:
                return True
            if self.status != S.BACKORDERED:
                detail = "waiting for " + ", ".join(reservation.shortages)
                await self._move(S.BACKORDERED, "backordered", detail=detail)
            self.stock_arrived = False
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: self.stock_arrived or self._cancelled, timeout=BACKORDER_RECHECK
                )
            if self._cancelled:
                return False

    async def _ship_invoice_and_collect(self) -> None:
        shipment_id = await db_step(
            "plan_shipment", PlanShipmentInput(order_id=self.order_id, at=workflow.now()), int
        )
        await self._move(S.AWAITING_SHIPMENT, "shipment_planned", detail=f"shipment {shipment_id}")
        shipment = await workflow.start_child_workflow(
            ShipmentWorkflow.run,
            ShipmentInput(shipment_id=shipment_id, order_id=self.order_id),
            id=f"shipment-{shipment_id}",
        )
        await workflow.wait_condition(lambda: self.dispatched)
        await self._move(S.SHIPPED, "shipped")
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
        await self._move(S.INVOICED, "invoiced", detail=issued.number)
        collected = asyncio.ensure_future(self._await_collection(collection))
        await workflow.wait_condition(lambda: self.paid or self.delivered)
        if not self.paid:
            await self._move(S.DELIVERED, "delivered")
        await workflow.wait_condition(lambda: self.paid)
        await self._move(S.PAID, "paid")
        await workflow.wait_condition(lambda: self.delivered)
        await shipment
        await collected
        await self._move(S.CLOSED, "closed")

    async def _await_collection(self, handle: workflow.ChildWorkflowHandle) -> None:
        result: CollectionResult = await handle
        self.paid = result.outcome in ("paid", "written_off")

    # -- messages ----------------------------------------------------------------------------

    @workflow.update
    async def approve(self, decision: Decision) -> str:
        return await self._decide(decision, approved=True)

    @approve.validator
    def _validate_approve(self, decision: Decision) -> None:
        self._check_decidable()

    @workflow.update
    async def reject(self, decision: Decision) -> str:
        return await self._decide(decision, approved=False)

    @reject.validator
    def _validate_reject(self, decision: Decision) -> None:
        self._check_decidable()
        if not decision.comment:
            raise ApplicationError("a rejection needs a reason", type="InvalidInput")

    @workflow.update
    async def release_credit_hold(self, release: ReleaseInput) -> str:
        await self._move(
            S.PENDING_APPROVAL, "credit_released", actor=release.user, detail=release.comment
        )
        self.released = release
        return str(self.status)

    @release_credit_hold.validator
    def _validate_release(self, release: ReleaseInput) -> None:
        if self.status != S.CREDIT_HOLD or self.released is not None:
            raise ApplicationError(f"order is {self.status}, not on credit hold", type="Conflict")
        if not release.comment.strip():
            raise ApplicationError("a release needs a comment", type="InvalidInput")

    @workflow.update
    async def cancel(self, decision: Decision) -> str:
        await self._move(S.CANCELLED, "cancelled", actor=decision.user, detail=decision.comment)
        self.cancel_reason = decision.comment or "cancelled"
        return str(self.status)

    @cancel.validator
    def _validate_cancel(self, decision: Decision) -> None:
        if self.status not in CANCELLABLE or self.status == S.AWAITING_SHIPMENT:
            raise ApplicationError(
                f"an order that is {self.status} cannot be cancelled", type="Conflict"
            )

    @workflow.signal
    def stock_available(self) -> None:
        self.stock_arrived = True

    @workflow.signal
    def shipment_progress(self, event: ShipmentEvent) -> None:
        if event.event_id in self.seen_events:
            return
        self.seen_events.add(event.event_id)
        if event.kind == "dispatched":
            self.dispatched = True
        elif event.kind == "delivered":
            self.dispatched = True
            self.delivered = True

    @workflow.query
    def current_status(self) -> str | None:
        return self.status

    # -- helpers -----------------------------------------------------------------------------

    @property
    def _cancelled(self) -> bool:
        return self.cancel_reason is not None

    def _check_decidable(self) -> None:
        if self.status != S.PENDING_APPROVAL or self.deciding:
            raise ApplicationError(f"order is {self.status}, not pending approval", type="Conflict")

    async def _decide(self, decision: Decision, approved: bool) -> str:
        if self.deciding:
            raise ApplicationError("order was decided a moment ago", type="Conflict")
        self.deciding = True
        await db_step(
            "record_decision",
            DecisionInput(
                order_id=self.order_id,
                level=1,
                approved=approved,
                user=decision.user,
                comment=decision.comment,
                at=workflow.now(),
            ),
        )
        self._mirror(S.APPROVED if approved else S.REJECTED)
        self.approved = approved
        return str(self.status)

    async def _move(
        self, status: OrderStatus, kind: str, *, actor: str = "system", detail: str | None = None
    ) -> None:
        await db_step(
            "change_status",
            StatusChangeInput(
                order_id=self.order_id,
                status=status,
                kind=kind,
                at=workflow.now(),
                actor=actor,
                detail=detail,
            ),
        )
        self._mirror(status)

    def _mirror(self, status: OrderStatus) -> None:
        self.status = status
        workflow.upsert_search_attributes([ORDER_STATUS.value_set(status.value)])

    def _result(self) -> OrderResult:
        return OrderResult(order_id=self.order_id, status=str(self.status))
