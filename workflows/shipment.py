"""ShipmentWorkflow (`shipment-{id}`): one shipment from planned to delivered, child of its order.
Dispatch, tracking and delivery arrive as signals (at least once, idempotent by event id) and
are passed on to the order."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.workflow_messages import ShipmentEvent, ShipmentInput


@workflow.defn
class ShipmentWorkflow:
    def __init__(self) -> None:
        self.state = "planned"
        self.seen_events: set[str] = set()
        self.pending: list[ShipmentEvent] = []

    @workflow.run
    async def run(self, shipment: ShipmentInput) -> str:
        parent = workflow.info().parent
        while self.state != "delivered" or self.pending:
            await workflow.wait_condition(lambda: bool(self.pending))
            event = self.pending.pop(0)
            if parent is not None:
                order = workflow.get_external_workflow_handle(parent.workflow_id)
                await order.signal("shipment_progress", event)
        return self.state

    @workflow.signal
    def shipment_event(self, event: ShipmentEvent) -> None:
        if event.event_id in self.seen_events:
            return
        self.seen_events.add(event.event_id)
        if event.kind == "delivered":
            self.state = "delivered"
        elif event.kind == "dispatched" and self.state == "planned":
            self.state = "dispatched"
        self.pending.append(event)

    @workflow.query
    def current_state(self) -> str:
        return self.state
