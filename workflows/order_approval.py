"""OrderWorkflow's first stages: the credit gate and the approval decision (Updates)."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from models.order_status import OrderStatus
    from models.workflow_messages import (
        Decision,
        DecisionInput,
        ReleaseInput,
    )
    from workflows.order_state import OrderState
    from workflows.steps import db_step

S = OrderStatus


class ApprovalStage(OrderState):
    def __init__(self) -> None:
        super().__init__()
        self.deciding = False
        self.approved: bool | None = None
        self.released: ReleaseInput | None = None

    async def pass_credit_gate(self, entered_as: OrderStatus) -> bool:
        """Order entry ran the gate in its own transaction; a held order waits for release."""
        self.mirror(entered_as)
        if entered_as != S.CREDIT_HOLD:
            return True
        await workflow.wait_condition(lambda: self.released is not None or self.cancelled)
        return not self.cancelled

    async def obtain_approval(self) -> bool:
        if self.status != S.PENDING_APPROVAL:
            await self.move(S.PENDING_APPROVAL, "submitted")
        await workflow.wait_condition(lambda: self.approved is not None or self.cancelled)
        return bool(self.approved) and not self.cancelled

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
        await self.move(
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
        self.mirror(S.APPROVED if approved else S.REJECTED)
        self.approved = approved
        return str(self.status)
