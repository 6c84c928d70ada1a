"""MonthlyCreditReviewWorkflow (`schedule-credit-review`, run monthly by a Temporal Schedule):
scores every active customer and starts a CreditReviewWorkflow for each proposal."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.credit.registry import CreditActivities
    from models.credit.messages import ReviewAllInput
    from workflows.steps import batch_step


@workflow.defn
class MonthlyCreditReviewWorkflow:
    @workflow.run
    async def run(self) -> int:
        done = await batch_step(
            CreditActivities.review_every_customer, ReviewAllInput(as_of=workflow.now().date())
        )
        return done.proposals
