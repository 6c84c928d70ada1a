"""ShipmentWorkflow (`shipment-{id}`): one shipment from planned to delivered, child of its order.
Dispatch, tracking and delivery are written by the API and arrive here as `shipment_event`
signals (wake-ups: the database says where the shipment is). A shipment held for the customer's
credit waits for a credit manager's release (Update). When the ETA passes without delivery the
rep and ops are alerted, once. Dispatch and delivery are passed on to the order."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, time, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.fulfilment.registry import FulfilmentActivities
    from models.errors import Conflict, InvalidInput
    from models.fulfilment.messages import (
        ShipmentRef,
        ShipmentRelease,
        ShipmentReleaseInput,
        ShipmentState,
    )
    from models.sales.messages import SHIPMENT_EVENT_SIGNAL, ShipmentEvent, ShipmentInput
    from models.workflow_ids import shipment_event_id
    from workflows.handlers import let_handlers_finish
    from workflows.sales.order_shipment_news import ShipmentProgress
    from workflows.steps import db_step, send_mails

ON_THE_WAY = ("dispatched", "in_transit")
DONE = ("delivered", "cancelled")


def late_after(state: ShipmentState) -> datetime | None:
    """The moment the shipment counts as late: the end of its ETA day (UTC)."""
    if state.eta is None or state.status not in ON_THE_WAY or state.late_alerted:
        return None
    return datetime.combine(state.eta + timedelta(days=1), time.min, tzinfo=UTC)


@workflow.defn
class ShipmentWorkflow:
    def __init__(self) -> None:
        self.shipment_id = 0
        self.state: ShipmentState | None = None
        self.changed = False
        self.release_lock = asyncio.Lock()  # one release at a time: a second one is refused
        self.told_parent: set[str] = set()

    @workflow.run
    async def run(self, shipment: ShipmentInput) -> str:
        self.shipment_id = shipment.shipment_id
        while True:
            self.changed = False
            state = await self._read()
            await self._tell_order(state)
            if state.status in DONE:
                await let_handlers_finish()
                return state.status
            late_at = late_after(state)
            if late_at is not None and workflow.now() >= late_at:
                await self._alert_late()
                continue
            timeout = late_at - workflow.now() if late_at is not None else None
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(lambda: self.changed, timeout=timeout)

    async def _read(self) -> ShipmentState:
        self.state = await db_step(
            FulfilmentActivities.shipment_state,
            ShipmentRef(shipment_id=self.shipment_id, at=workflow.now()),
        )
        return self.state

    async def _alert_late(self) -> None:
        alert = await db_step(
            FulfilmentActivities.late_shipment_alert,
            ShipmentRef(shipment_id=self.shipment_id, at=workflow.now()),
        )
        await send_mails(alert.mail_ids)

    async def _tell_order(self, state: ShipmentState) -> None:
        parent = workflow.info().parent
        news = []
        if state.status in (*ON_THE_WAY, "delivered"):
            news.append("dispatched")
        if state.status == "delivered":
            news.append("delivered")
        for kind in news:
            if kind in self.told_parent or parent is None:
                continue
            self.told_parent.add(kind)
            order = workflow.get_external_workflow_handle(parent.workflow_id)
            event = ShipmentEvent(
                event_id=shipment_event_id(self.shipment_id, kind),
                shipment_id=self.shipment_id,
                kind=kind,
                at=workflow.now(),
            )
            await order.signal(ShipmentProgress.shipment_progress, event)

    @workflow.signal(name=SHIPMENT_EVENT_SIGNAL)
    def shipment_event(self, event: ShipmentEvent) -> None:
        self.changed = True

    @workflow.update
    async def release_credit_hold(self, release: ShipmentRelease) -> str:
        if self.release_lock.locked():
            raise Conflict.failure("the hold is being released a moment ago")
        async with self.release_lock:
            await db_step(
                FulfilmentActivities.release_shipment_hold,
                ShipmentReleaseInput(
                    shipment_id=self.shipment_id,
                    user=release.user,
                    comment=release.comment,
                    at=workflow.now(),
                ),
            )
        if self.state is not None:
            self.state = self.state.model_copy(update={"status": "planned"})
        self.changed = True
        return "planned"

    @release_credit_hold.validator
    def _validate_release(self, release: ShipmentRelease) -> None:
        status = self.state.status if self.state else "starting"
        if status != "credit_hold" or self.release_lock.locked():
            raise Conflict.failure(f"shipment {self.shipment_id} is {status}, not on credit hold")
        if not release.comment.strip():
            raise InvalidInput.failure("a release needs a comment")

    @workflow.query
    def current_state(self) -> str:
        return self.state.status if self.state else "starting"
