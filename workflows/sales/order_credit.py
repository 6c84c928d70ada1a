"""OrderWorkflow's credit gate: order entry (or an amendment) ran the gate in its own
transaction; a held order waits here for a credit manager's release, a payment that makes it
fit, or the end of its class's hold days (then it is cancelled and the rep told)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.sales.registry import SalesActivities
    from models.errors import Conflict, InvalidInput
    from models.sales.messages import (
        CREDIT_RELEASED_SIGNAL,
        HoldExpiryInput,
        ReleaseHoldInput,
        ReleaseInput,
    )
    from models.sales.order_status import OrderStatus
    from workflows.sales.order_state import OrderState
    from workflows.steps import db_step, send_mails

S = OrderStatus


@dataclass
class CreditGate:
    """Where the order stands at the credit gate (for its current revision)."""

    hold_days: int = 14  # how long a hold may wait for its release (the class policy)
    blocked: bool = False  # held for overdue items: only a payment releases it
    released: ReleaseInput | None = None
    amended: bool = False  # an amendment sends the order back through the gate


class CreditStage(OrderState):
    def __init__(self) -> None:
        super().__init__()
        self.credit = CreditGate()
        self.release_lock = asyncio.Lock()  # one release at a time: a second one is refused

    async def pass_credit_gate(self, entered_as: OrderStatus) -> bool:
        self.mirror(entered_as)
        if entered_as != S.CREDIT_HOLD:
            return True
        credit = self.credit
        credit.released = None
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(
                self._hold_settled, timeout=timedelta(days=credit.hold_days)
            )
        if not self._hold_settled():
            expiry = HoldExpiryInput(
                order_id=self.order_id, at=workflow.now(), hold_days=credit.hold_days
            )
            ended = await db_step(SalesActivities.expire_credit_hold, expiry)
            if ended.ended:
                self.cancel_reason = f"credit hold not released within {credit.hold_days} days"
                self.mirror(S.CANCELLED)
                await send_mails(ended.outbox_ids)
                return False
            # A payment released it a moment before the timer: its signal is on the way.
            await workflow.wait_condition(self._hold_settled)
        return credit.released is not None and not self.cancelled and not credit.amended

    def _hold_settled(self) -> bool:
        return self.credit.released is not None or self.cancelled or self.credit.amended

    @workflow.update
    async def release_credit_hold(self, release: ReleaseInput) -> str:
        if self.release_lock.locked():
            raise Conflict.failure("the hold is being released a moment ago")
        async with self.release_lock:
            await db_step(
                SalesActivities.release_credit_hold,
                ReleaseHoldInput(order_id=self.order_id, release=release, at=workflow.now()),
            )
        self.credit.released = release
        self.mirror(S.PENDING_APPROVAL)
        return str(self.status)

    @release_credit_hold.validator
    def _validate_release(self, release: ReleaseInput) -> None:
        if (
            self.status != S.CREDIT_HOLD
            or self.credit.released is not None
            or self.credit.amended
            or self.release_lock.locked()
        ):
            raise Conflict.failure(f"order is {self.status}, not on credit hold")
        if self.credit.blocked:
            raise Conflict.failure(
                "the order is blocked for overdue items: only a payment releases it"
            )
        if not release.comment.strip():
            raise InvalidInput.failure("a release needs a comment")

    @workflow.signal(name=CREDIT_RELEASED_SIGNAL)
    def credit_released(self, release: ReleaseInput) -> None:
        """A payment made the order fit; the payment's transaction already released it."""
        if self.status == S.CREDIT_HOLD and self.credit.released is None:
            self.credit.released = release
            self.mirror(S.PENDING_APPROVAL)
