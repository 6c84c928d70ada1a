"""The monthly credit review: every active customer scored in one pass (behaviour read in a few
grouped queries), each review kept, and a CreditReviewWorkflow started (through the workflow
outbox) for every customer whose review proposes a change."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.credit.behaviour import behaviours
from activities.credit.reviews import make_review
from activities.credit.scorecards import scorecard_in_force
from activities.workflow_outbox import enqueue
from models.credit.messages import (
    CREDIT_REVIEW_WORKFLOW,
    ReviewAllInput,
    ReviewAllResult,
    ReviewInput,
    StartReviewInput,
)
from models.credit.reviews import CreditReview, ReviewStatus, ReviewTrigger
from models.master_data.customers import Customer, CustomerStatus
from models.outbox import OutboxKind
from models.workflow_ids import credit_review_workflow_id


def start_review_workflow(session: Session, review: CreditReview) -> None:
    """Owed after the commit: the workflow that waits for the proposal's decision."""
    workflow_id = credit_review_workflow_id(review.customer_id)
    start = StartReviewInput(
        customer_id=review.customer_id, trigger=review.trigger, review_id=review.id
    )
    enqueue(
        session,
        key=f"start:{workflow_id}/review-{review.id}",
        kind=OutboxKind.START_WORKFLOW,
        target=workflow_id,
        name=CREDIT_REVIEW_WORKFLOW,
        payload=start.model_dump(mode="json"),
    )


def review_everyone(session: Session, data: ReviewAllInput) -> ReviewAllResult:
    customers = session.exec(
        select(Customer).where(Customer.status == CustomerStatus.ACTIVE).order_by(col(Customer.id))
    ).all()
    seen = behaviours(session, data.as_of)
    card = scorecard_in_force(session)
    proposals = 0
    for customer in customers:
        review = make_review(
            session,
            customer,
            seen[customer.id or 0],
            card,
            ReviewInput(
                customer_id=customer.id or 0, trigger=ReviewTrigger.SCHEDULE, as_of=data.as_of
            ),
        )
        if review.status == ReviewStatus.OPEN:
            start_review_workflow(session, review)
            proposals += 1
    return ReviewAllResult(reviewed=len(customers), proposals=proposals)
