"""OrderWorkflow's fulfilment: reserve stock (first come, first served by approval), plan
shipments as the order's policy allows (one child ShipmentWorkflow each), backorder the rest
until receipts serve it, release reservations not shipped in time, and hand every dispatched
shipment to billing. The database says where fulfilment stands; signals only wake the loop."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.fulfilment.registry import FulfilmentActivities
    from models.fulfilment.messages import FulfilmentInput, FulfilmentPlan
    from models.sales.messages import STOCK_AVAILABLE_SIGNAL, ShipmentEvent, ShipmentInput
    from models.sales.order_status import OrderStatus, StatusStep, can_move, step_towards
    from models.workflow_ids import shipment_event_id, shipment_workflow_id
    from workflows.fulfilment.shipment import ShipmentWorkflow
    from workflows.sales.order_shipment_news import ShipmentProgress
    from workflows.steps import Activity, db_step, send_mails

S = OrderStatus
BACKORDER_RECHECK = timedelta(days=1)  # a safety net: receipts serve backorders at once
MOVE_KIND = {
    S.BACKORDERED: "backordered",
    S.AWAITING_SHIPMENT: "shipment_planned",
    S.PARTIALLY_SHIPPED: "partially_shipped",
    S.SHIPPED: "shipped",
}


@dataclass
class FulfilmentProgress:
    """How far the order's shipments got, and the children that carry them."""

    stock_arrived: bool = False  # a receipt may serve what the order still waits for
    shipments: dict[int, workflow.ChildWorkflowHandle] = field(default_factory=dict)
    dispatched_ids: list[int] = field(default_factory=list)
    fulfilled: bool = False
    remainder_cancelled: bool = False  # after a partial shipment: the rest will not ship


class FulfilmentStage(ShipmentProgress):
    def __init__(self) -> None:
        super().__init__()
        self.fulfilment = FulfilmentProgress()

    async def reserve_stock(self) -> bool:
        """The first claim on stock after approval; False when the order was cancelled."""
        plan = await self._plan(FulfilmentActivities.plan_fulfilment)
        await self._show(plan)
        return not self.cancelled

    async def dispatched_shipments(self) -> AsyncIterator[int]:
        """Each shipment once it is dispatched, until every line has left the warehouse."""
        reserve = False
        while True:
            self.shipment_news.fresh = self.fulfilment.stock_arrived = False
            step = (
                FulfilmentActivities.plan_fulfilment
                if reserve
                else FulfilmentActivities.fulfilment_position
            )
            plan = await self._plan(step)
            for shipment_id in plan.dispatched:
                if shipment_id not in self.fulfilment.dispatched_ids:
                    self.fulfilment.dispatched_ids.append(shipment_id)
                    await self._show(plan)
                    yield shipment_id
            if plan.all_dispatched:
                self.fulfilment.fulfilled = True
                return
            if self.cancelled:
                await self._release_stock()
                return
            if self.fulfilment.remainder_cancelled:
                # What shipped is billed and collected, the rest is not.
                self.fulfilment.fulfilled = True
                return
            await self._show(plan)
            reserve = await self._wait_for_news(plan)

    async def _wait_for_news(self, plan: FulfilmentPlan) -> bool:
        """Sleep until something happens; returns whether to claim stock again."""
        timeout = BACKORDER_RECHECK
        if plan.reserved_until is not None:
            timeout = min(timeout, plan.reserved_until - workflow.now())
        if timeout > timedelta(0):
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: (
                        self.shipment_news.fresh
                        or self.fulfilment.stock_arrived
                        or self.cancelled
                        or self.fulfilment.remainder_cancelled
                    ),
                    timeout=timeout,
                )
                return self.fulfilment.stock_arrived
        if plan.reserved_until is not None and workflow.now() >= plan.reserved_until:
            await self._expire_reservations()
            return False
        return True

    async def _expire_reservations(self) -> None:
        expiry = await db_step(
            FulfilmentActivities.expire_reservations,
            FulfilmentInput(order_id=self.order_id, at=workflow.now()),
        )
        await self._wake_shipments(expiry.cancelled_shipments, "reservation-expired")
        await send_mails(expiry.mail_ids)

    async def cancel_remainder(self) -> None:
        """Stop shipping: the unshipped rest is cancelled in the database before the answer."""
        cancelled = await db_step(
            FulfilmentActivities.cancel_order_remainder,
            FulfilmentInput(order_id=self.order_id, at=workflow.now()),
        )
        self.fulfilment.remainder_cancelled = True
        await self._wake_shipments(cancelled, "remainder-cancelled")

    async def _release_stock(self) -> None:
        cancelled = await db_step(
            FulfilmentActivities.release_order_stock,
            FulfilmentInput(order_id=self.order_id, at=workflow.now()),
        )
        await self._wake_shipments(cancelled, "order-cancelled")

    async def _wake_shipments(self, shipment_ids: list[int], why: str) -> None:
        for shipment_id in shipment_ids:
            handle = self.fulfilment.shipments.get(shipment_id)
            if handle is not None:
                event = ShipmentEvent(
                    event_id=shipment_event_id(shipment_id, why),
                    shipment_id=shipment_id,
                    kind="cancelled",
                    at=workflow.now(),
                )
                await handle.signal(ShipmentWorkflow.shipment_event, event)

    async def _plan(self, step: Activity[FulfilmentInput, FulfilmentPlan]) -> FulfilmentPlan:
        plan = await db_step(step, FulfilmentInput(order_id=self.order_id, at=workflow.now()))
        for shipment_id in plan.shipments:
            if shipment_id not in self.fulfilment.shipments:
                self.fulfilment.shipments[shipment_id] = await workflow.start_child_workflow(
                    ShipmentWorkflow.run,
                    ShipmentInput(shipment_id=shipment_id, order_id=self.order_id),
                    id=shipment_workflow_id(shipment_id),
                )
        return plan

    async def _show(self, plan: FulfilmentPlan) -> None:
        """Mirror where fulfilment stands in the order's status (and timeline)."""
        target = OrderStatus(plan.status)
        if self.cancelled or self.status == target:
            return
        if not can_move(self.status, target) and not (
            # The database got ahead (goods dispatched before the workflow heard of its
            # approval): catch up with it rather than leave the order behind for good.
            step_towards(self.status, target) is StatusStep.MOVE
            and workflow.patched("order-status-catches-up")
        ):
            return
        detail = "waiting for " + ", ".join(plan.shortages) if plan.shortages else None
        await self.move(target, MOVE_KIND[target], detail=detail)

    @property
    def all_delivered(self) -> bool:
        return (
            self.fulfilment.fulfilled
            and set(self.fulfilment.dispatched_ids) <= self.shipment_news.delivered
        )

    async def await_delivery(self) -> None:
        await workflow.wait_condition(lambda: self.all_delivered)
        for handle in self.fulfilment.shipments.values():
            await handle

    @workflow.signal(name=STOCK_AVAILABLE_SIGNAL)
    def stock_available(self) -> None:
        self.fulfilment.stock_arrived = True
