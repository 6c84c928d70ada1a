"""OrderWorkflow's fulfilment: reserve stock (backordered until a receipt arrives), plan the
shipment and follow it as a child ShipmentWorkflow."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.order_status import OrderStatus
    from models.workflow_messages import (
        PlanShipmentInput,
        ReservationResult,
        ReserveStockInput,
        ShipmentEvent,
        ShipmentInput,
    )
    from workflows.order_state import OrderState
    from workflows.shipment import ShipmentWorkflow
    from workflows.steps import db_step

S = OrderStatus
BACKORDER_RECHECK = timedelta(hours=1)


class FulfilmentStage(OrderState):
    def __init__(self) -> None:
        super().__init__()
        self.stock_arrived = False
        self.dispatched = False
        self.delivered = False
        self.seen_events: set[str] = set()
        self.shipment: workflow.ChildWorkflowHandle | None = None

    async def reserve_stock(self) -> bool:
        """All or nothing; while short the order is backordered and retries on every receipt."""
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
                await self.move(S.BACKORDERED, "backordered", detail=detail)
            self.stock_arrived = False
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: self.stock_arrived or self.cancelled, timeout=BACKORDER_RECHECK
                )
            if self.cancelled:
                return False

    async def ship(self) -> int:
        """Plan the shipment, start its workflow, and return once it is dispatched."""
        shipment_id = await db_step(
            "plan_shipment", PlanShipmentInput(order_id=self.order_id, at=workflow.now()), int
        )
        await self.move(S.AWAITING_SHIPMENT, "shipment_planned", detail=f"shipment {shipment_id}")
        self.shipment = await workflow.start_child_workflow(
            ShipmentWorkflow.run,
            ShipmentInput(shipment_id=shipment_id, order_id=self.order_id),
            id=f"shipment-{shipment_id}",
        )
        await workflow.wait_condition(lambda: self.dispatched)
        await self.move(S.SHIPPED, "shipped")
        return shipment_id

    async def await_delivery(self) -> None:
        await workflow.wait_condition(lambda: self.delivered)
        if self.shipment is not None:
            await self.shipment

    @workflow.signal
    def stock_available(self) -> None:
        self.stock_arrived = True

    @workflow.signal
    def shipment_progress(self, event: ShipmentEvent) -> None:
        if event.event_id in self.seen_events:
            return
        self.seen_events.add(event.event_id)
        self.dispatched = True
        if event.kind == "delivered":
            self.delivered = True
