"""CreditReviewWorkflow (`credit-review-{customer_id}`): one review of a customer's credit. It
scores the customer (or takes the review the monthly run made) and, when the rules propose a new
limit, class or hold, waits for a credit manager to accept, adjust or reject it (the `decide`
Update), reminding the credit managers after `remind_after` and escalating to the admins after
`escalate_after`, as approvals do."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.credit.registry import CreditActivities
    from models.credit.messages import (
        CREDIT_REVIEW_WORKFLOW,
        ReviewDecided,
        ReviewDecision,
        ReviewInput,
        ReviewNotice,
        StartReviewInput,
    )
    from models.credit.reviews import ReviewStatus
    from models.errors import Conflict, Forbidden
    from workflows.steps import db_step, send_mails

DECIDERS = frozenset({"credit_manager", "admin"})


@workflow.defn(name=CREDIT_REVIEW_WORKFLOW)
class CreditReviewWorkflow:
    def __init__(self) -> None:
        self.review_id: int | None = None
        self.status: ReviewStatus | None = None
        self.escalated = False
        self.decision_lock = asyncio.Lock()

    @workflow.run
    async def run(self, start: StartReviewInput) -> str:
        review = ReviewInput(
            customer_id=start.customer_id,
            trigger=start.trigger,
            as_of=start.as_of or workflow.now().date(),
            review_id=start.review_id,
        )
        opened = await db_step(CreditActivities.open_credit_review, review)
        self.review_id, self.status = opened.review_id, opened.status
        if opened.status == ReviewStatus.OPEN:
            await self._notify("waiting")
            await self._await_decision(opened.remind_after, opened.escalate_after)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return str(self.status)

    def _decided(self) -> bool:
        return self.status != ReviewStatus.OPEN

    async def _await_decision(self, remind_after: timedelta, escalate_after: timedelta) -> None:
        started = workflow.now()
        for after, kind in sorted(((remind_after, "reminder"), (escalate_after, "escalated"))):
            remaining = max(started + after - workflow.now(), timedelta(0))
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(self._decided, timeout=remaining)
            if self._decided():
                return
            self.escalated = self.escalated or kind == "escalated"
            await self._notify(kind)
        await workflow.wait_condition(self._decided)

    async def _notify(self, kind: str) -> None:
        notice = ReviewNotice(review_id=self.review_id or 0, kind=kind, at=workflow.now())
        queued = await db_step(CreditActivities.notify_credit_reviewers, notice)
        await send_mails(queued.outbox_ids)

    @workflow.update
    async def decide(self, decision: ReviewDecision) -> ReviewDecided:
        async with self.decision_lock:
            self._check(decision)
            stamped = decision.model_copy(update={"at": workflow.now()})
            try:
                decided = await db_step(CreditActivities.decide_credit_review, stamped)
            except ActivityError as exc:
                # The use case's refusal (the customer's credit changed meanwhile) as its kind.
                cause = exc.cause
                if isinstance(cause, ApplicationError):
                    raise ApplicationError(cause.message, type=cause.type) from exc
                raise
            self.status = decided.status
            return decided

    @decide.validator
    def _validate_decide(self, decision: ReviewDecision) -> None:
        self._check(decision)

    def _check(self, decision: ReviewDecision) -> None:
        if self.status != ReviewStatus.OPEN or decision.review_id != self.review_id:
            raise Conflict.failure(f"credit review {decision.review_id} waits for no decision")
        if not DECIDERS & set(decision.roles):
            raise Forbidden.failure("a credit manager decides a credit review")

    @workflow.query
    def current_review(self) -> dict[str, object]:
        return {"review_id": self.review_id, "status": self.status, "escalated": self.escalated}
