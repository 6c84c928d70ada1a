"""The monthly credit review: every active customer scored in one pass (behaviour read in a few
grouped queries), each review kept, and a CreditReviewWorkflow started (through the workflow
outbox) for every customer whose review proposes a change."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.credit.behaviour import behaviours
from activities.credit.reviews import make_review
from activities.credit.scorecards import scorecard_in_force
from activities.workflow_outbox import queue_credit_review
from models.credit.messages import (
    ReviewAllInput,
    ReviewAllResult,
    ReviewInput,
)
from models.credit.reviews import ReviewStatus, ReviewTrigger
from models.master_data.customers import Customer, CustomerStatus


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
            queue_credit_review(
                session,
                customer_id=customer.id or 0,
                trigger=ReviewTrigger.SCHEDULE,
                because=f"review-{review.id}",
                review_id=review.id,
            )
            proposals += 1
    return ReviewAllResult(reviewed=len(customers), proposals=proposals)
