"""Tells the credit managers that a review proposal waits for them, reminds them, and escalates
to the admins when nobody answered in time."""

from __future__ import annotations

from sqlmodel import Session

from activities.credit.reviews import get_review_row
from activities.master_data.customers import get_customer
from activities.sales.order_mail import staff
from models.credit.messages import ReviewNotice
from models.sales.messages import MailsQueued
from models.security.users import Role
from notifications.outbox import mail_staff


def notify_reviewers(session: Session, notice: ReviewNotice, public_url: str) -> MailsQueued:
    review = get_review_row(session, notice.review_id)
    customer = get_customer(session, review.customer_id)
    role = Role.ADMIN if notice.kind == "escalated" else Role.CREDIT_MANAGER
    context = {
        "kind": notice.kind,
        "customer": {"name": customer.name, "code": customer.code},
        "review": {
            "id": review.id,
            "grade": review.grade.value,
            "score": review.score,
            "rule": review.rule,
            "currency": customer.currency,
            "limit_before": str(review.limit_before),
            "proposed_limit": None if review.proposed_limit is None else str(review.proposed_limit),
            "proposed_class": review.proposed_class,
            "proposed_hold": review.proposed_hold,
        },
        "review_url": f"{public_url}/api/v1/credit-reviews/{review.id}",
    }
    ids = mail_staff(
        session,
        staff(session, role, None),
        key=f"credit-review-{review.id}/{notice.kind}",
        template="credit_review",
        context=context,
    )
    return MailsQueued(outbox_ids=ids)
