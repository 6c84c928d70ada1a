"""What OrderWorkflow hears from its shipments: each child ShipmentWorkflow signals dispatch and
delivery (`shipment_progress`). Apart from the fulfilment stage, which starts the shipments, so
that ShipmentWorkflow names this signal by reference without importing its parent."""

from __future__ import annotations

from dataclasses import dataclass, field

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.sales.messages import ShipmentEvent
    from workflows.sales.order_state import OrderState


@dataclass
class ShipmentNews:
    fresh: bool = False  # something happened since fulfilment last looked
    seen_events: set[str] = field(default_factory=set)  # a repeated signal changes nothing
    delivered: set[int] = field(default_factory=set)


class ShipmentProgress(OrderState):
    def __init__(self) -> None:
        super().__init__()
        self.shipment_news = ShipmentNews()

    @workflow.signal
    def shipment_progress(self, event: ShipmentEvent) -> None:
        news = self.shipment_news
        if event.event_id in news.seen_events:
            return
        news.seen_events.add(event.event_id)
        news.fresh = True
        if event.kind == "delivered":
            news.delivered.add(event.shipment_id)
