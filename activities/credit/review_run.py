"""The monthly credit review: every active customer scored in one pass (behaviour read in a few
grouped queries), each review kept, and a CreditReviewWorkflow started (through the workflow
outbox) for every customer whose review proposes a change."""

from __future__ import annotations

from sqlalchemy import insert
from sqlmodel import Session, col, select

from activities.credit.behaviour import behaviours
from activities.credit.reviews import make_review, review_context
from activities.workflow_outbox import queue_credit_review
from models.credit.messages import (
    ReviewAllInput,
    ReviewAllResult,
    ReviewInput,
)
from models.credit.reviews import CreditReview, ReviewStatus, ReviewTrigger
from models.master_data.customers import Customer, CustomerStatus


def review_everyone(session: Session, data: ReviewAllInput) -> ReviewAllResult:
    customers = session.exec(
        select(Customer).where(Customer.status == CustomerStatus.ACTIVE).order_by(col(Customer.id))
    ).all()
    seen = behaviours(session, data.as_of)
    context = review_context(session, data.as_of, None)
    made = [
        make_review(
            customer,
            seen[customer.id or 0],
            context,
            ReviewInput(
                customer_id=customer.id or 0, trigger=ReviewTrigger.SCHEDULE, as_of=data.as_of
            ),
        )
        for customer in customers
    ]
    unchanged = [values for values in made if values["status"] != ReviewStatus.OPEN]
    if unchanged:  # most customers: kept in one statement, their ids not needed
        session.execute(insert(CreditReview), unchanged)
    proposed = [CreditReview(**values) for values in made if values["status"] == ReviewStatus.OPEN]
    session.add_all(proposed)
    session.flush()
    for review in proposed:
        queue_credit_review(
            session,
            customer_id=review.customer_id,
            trigger=ReviewTrigger.SCHEDULE,
            because=f"review-{review.id}",
            review_id=review.id,
        )
    return ReviewAllResult(reviewed=len(customers), proposals=len(proposed))
