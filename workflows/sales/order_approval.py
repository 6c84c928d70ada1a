"""OrderWorkflow's selling stage: the credit gate (order_credit), then approval level by level
as the approval policy requires, each decided through an Update. A waiting level reminds its
approvers after `remind_after`, passes to the `escalate_to` role after `escalate_after`, and
rejects the order after `expire_after`. An amendment sends the order through gate and approval
again."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.sales.registry import SalesActivities
    from models.errors import Conflict, Forbidden, InvalidInput
    from models.sales.messages import (
        Amendment,
        AmendOrderInput,
        ApprovalNotice,
        ApprovalStep,
        Decision,
        DecisionInput,
        ExpireApprovalInput,
        OrderRef,
    )
    from models.sales.order_status import OrderStatus
    from workflows.sales.order_credit import CreditStage
    from workflows.search_attributes import ORDER_TOTAL
    from workflows.steps import db_step, send_mails

S = OrderStatus
AMENDABLE = frozenset({S.CREDIT_HOLD, S.PENDING_APPROVAL})


@dataclass
class ApprovalRound:
    """The approval levels of the order's current revision, and where they stand."""

    revision: int = 1
    created_by: str = ""
    planned: bool = False  # the levels of this round are known
    level: ApprovalStep | None = None  # the level waiting for its decision
    final_level: bool = False
    escalated: bool = False
    verdict: bool | None = None  # the current level's decision
    deciders: set[str] = field(default_factory=set)


class ApprovalStage(CreditStage):
    def __init__(self) -> None:
        super().__init__()
        self.approval = ApprovalRound()
        # One decision or amendment at a time: a second arriving meanwhile is refused, and no
        # decision lands on lines that are being replaced.
        self.decision_lock = asyncio.Lock()

    async def sell(self, entered_as: OrderStatus) -> bool:
        """Credit gate, then approval; an amendment on the way starts both again."""
        status = entered_as
        while True:
            self.credit.amended = False
            if await self.pass_credit_gate(status) and await self.obtain_approval():
                return True
            if not self.credit.amended or self.cancelled:
                return False
            status = self.status or S.PENDING_APPROVAL

    async def obtain_approval(self) -> bool:
        self.approval.planned = False
        if self.status != S.PENDING_APPROVAL:
            await self.move(S.PENDING_APPROVAL, "submitted")
        plan = await db_step(
            SalesActivities.plan_approval, OrderRef(order_id=self.order_id, at=workflow.now())
        )
        self.approval.revision, self.approval.created_by, self.approval.deciders = (
            plan.revision,
            plan.created_by,
            set(),
        )
        self.approval.planned = True
        if not plan.steps:
            await self.move(
                S.APPROVED, "approved", detail="no level of the approval policy applies"
            )
            return True
        for index, step in enumerate(plan.steps):
            self.approval.level, self.approval.final_level = step, index == len(plan.steps) - 1
            self.approval.escalated, self.approval.verdict = False, None
            await self._notify(step, "waiting")
            decided = await self._await_level(step)
            self.approval.level = None
            if not decided:
                return False
        return True

    def _level_settled(self) -> bool:
        return self.approval.verdict is not None or self.cancelled or self.credit.amended

    async def _await_level(self, step: ApprovalStep) -> bool:
        """Wait for the level's decision, with its reminder, escalation and expiry timers."""
        started = workflow.now()
        timers = [
            (after, kind)
            for after, kind in (
                (step.remind_after, "reminder"),
                (step.escalate_after, "escalated"),
                (step.expire_after, "expired"),
            )
            if after is not None
        ]
        for after, kind in sorted(timers, key=lambda timer: timer[0]):
            remaining = max(started + after - workflow.now(), timedelta(0))
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(self._level_settled, timeout=remaining)
            if self._level_settled():
                break
            if kind == "expired":
                expiry = ExpireApprovalInput(
                    order_id=self.order_id,
                    revision=self.approval.revision,
                    level=step.level,
                    at=workflow.now(),
                )
                ended = await db_step(SalesActivities.expire_approval, expiry)
                if ended.ended:
                    self.approval.verdict = False
                    self.mirror(S.REJECTED)
                    await send_mails(ended.outbox_ids)
                    return False
                break
            self.approval.escalated = self.approval.escalated or kind == "escalated"
            await self._notify(step, kind)
        await workflow.wait_condition(self._level_settled)
        return bool(self.approval.verdict) and not self.cancelled and not self.credit.amended

    async def _notify(self, step: ApprovalStep, kind: str) -> None:
        notice = ApprovalNotice(
            order_id=self.order_id,
            revision=self.approval.revision,
            step=step,
            kind=kind,
            at=workflow.now(),
        )
        queued = await db_step(SalesActivities.notify_approvers, notice)
        await send_mails(queued.outbox_ids)

    @workflow.update
    async def approve(self, decision: Decision) -> str:
        return await self._decide(decision, approved=True)

    @approve.validator
    def _validate_approve(self, decision: Decision) -> None:
        self._check_decidable_soon(decision)

    @workflow.update
    async def reject(self, decision: Decision) -> str:
        return await self._decide(decision, approved=False)

    @reject.validator
    def _validate_reject(self, decision: Decision) -> None:
        self._check_decidable_soon(decision)
        if not decision.comment:
            raise InvalidInput.failure("a rejection needs a reason")

    def _check_decidable_soon(self, decision: Decision) -> None:
        """A decision that arrives while the order is just asking for approval (its levels not
        yet read from the policy) waits for them; the handler then checks it in full."""
        if self.status == S.PENDING_APPROVAL and not self.approval.planned and not self._busy():
            return
        self._check_decidable(decision)

    def _check_decidable(self, decision: Decision) -> None:
        level = self.approval.level
        if self.status != S.PENDING_APPROVAL or level is None or self._busy():
            raise Conflict.failure(f"order is {self.status}, no decision is waiting")
        if decision.level is not None and decision.level != level.level:
            raise Conflict.failure(
                f"level {level.level} ({level.name}) is waiting, not level {decision.level}"
            )
        if decision.user == self.approval.created_by:
            raise Forbidden.failure("nobody approves their own order")
        if decision.user in self.approval.deciders:
            raise Forbidden.failure(f"{decision.user} already decided a level of this order")
        if not self._may_decide(level, decision):
            raise Forbidden.failure(
                f"level {level.level} ({level.name}) is for {level.user or level.role}"
                + (f" or {level.escalate_to}" if self.approval.escalated else "")
            )

    def _busy(self) -> bool:
        return (
            self.decision_lock.locked() or self.approval.verdict is not None or self.credit.amended
        )

    def _may_decide(self, level: ApprovalStep, decision: Decision) -> bool:
        roles = set(decision.roles)
        return (
            "admin" in roles
            or (level.user is not None and decision.user == level.user)
            or (level.role is not None and level.role in roles)
            or (self.approval.escalated and level.escalate_to in roles)
        )

    async def _decide(self, decision: Decision, approved: bool) -> str:
        await workflow.wait_condition(
            lambda: (
                self.approval.level is not None
                or self.status != S.PENDING_APPROVAL
                or self.credit.amended
            )
        )
        self._check_decidable(decision)
        level = self.approval.level
        if level is None or self._busy():
            raise Conflict.failure("the order was decided or changed a moment ago")
        async with self.decision_lock:
            recorded = await db_step(
                SalesActivities.record_decision,
                DecisionInput(
                    order_id=self.order_id,
                    revision=self.approval.revision,
                    level=level.level,
                    role=level.role or level.user or "",
                    approved=approved,
                    final=self.approval.final_level,
                    user=decision.user,
                    comment=decision.comment,
                    at=workflow.now(),
                ),
            )
        if recorded is not None:  # a decision recorded before a crash stands
            approved = recorded.approved
            self.approval.deciders.add(recorded.decided_by)
        self.approval.deciders.add(decision.user)
        self.approval.verdict = approved
        if not approved or self.approval.final_level:
            self.mirror(S.APPROVED if approved else S.REJECTED)
        return str(self.status)

    @workflow.update
    async def amend(self, amendment: Amendment) -> str:
        if self.decision_lock.locked():
            raise Conflict.failure("the order was decided or changed a moment ago")
        async with self.decision_lock:
            result = await db_step(
                SalesActivities.amend_order,
                AmendOrderInput(
                    order_id=self.order_id,
                    user=amendment.user,
                    order=amendment.order,
                    at=workflow.now(),
                ),
            )
        self.credit.amended, self.credit.released = True, None
        self.approval.revision, self.credit.hold_days = result.revision, result.hold_days
        self.credit.blocked = result.credit_blocked
        self.mirror(S(result.status))
        workflow.upsert_search_attributes([ORDER_TOTAL.value_set(float(result.total))])
        return str(self.status)

    @amend.validator
    def _validate_amend(self, amendment: Amendment) -> None:
        if self.status not in AMENDABLE or self.decision_lock.locked() or self.credit.amended:
            raise Conflict.failure(f"an order that is {self.status} cannot be amended")
