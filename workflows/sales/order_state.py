"""What every stage of OrderWorkflow shares: the order's state, status moves and the timeline.
Each stage (approval, fulfilment, billing) is a mixin over this base, in a module of its own."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.sales.registry import SalesActivities
    from models.sales.messages import StatusChangeInput
    from models.sales.order_status import OrderStatus
    from workflows.search_attributes import ORDER_STATUS
    from workflows.steps import db_step


class OrderState:
    def __init__(self) -> None:
        self.order_id = 0
        self.status: OrderStatus | None = None
        self.cancel_reason: str | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancel_reason is not None

    async def move(
        self, status: OrderStatus, kind: str, *, actor: str = "system", detail: str | None = None
    ) -> None:
        """Write the new status and its timeline entry, then mirror it in OrderStatus."""
        await db_step(
            SalesActivities.change_status,
            StatusChangeInput(
                order_id=self.order_id,
                status=status,
                kind=kind,
                at=workflow.now(),
                actor=actor,
                detail=detail,
            ),
        )
        self.mirror(status)

    def mirror(self, status: OrderStatus) -> None:
        self.status = status
        workflow.upsert_search_attributes([ORDER_STATUS.value_set(status.value)])
