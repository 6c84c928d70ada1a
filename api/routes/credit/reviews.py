"""Credit reviews and their proposals: the queue credit managers work (`?status=open`), and
their answer to a proposal, sent as the `decide` Update to `credit-review-{customer_id}`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from activities.credit import reviews
from api.deps import CurrentUser, DatabaseDep, PagingDep, TemporalDep, reader, require
from api.listing import Page
from models.credit.messages import ReviewDecision, Verdict
from models.credit.reviews import (
    AcceptRequest,
    AdjustRequest,
    CreditReviewPublic,
    RejectRequest,
    ReviewStatus,
)
from models.fields import IdParam
from models.security.users import Role, User
from models.workflow_ids import credit_review_workflow_id
from workflows.credit.credit_review import CreditReviewWorkflow

router = APIRouter(prefix="/credit-reviews", tags=["credit"])
READERS = reader(Role.CREDIT_MANAGER, Role.FINANCE, Role.APPROVER)
DECIDERS = require(Role.CREDIT_MANAGER)


@router.get("", dependencies=[READERS])
async def list_reviews(
    db: DatabaseDep,
    paging: PagingDep,
    status: ReviewStatus | None = None,
    customer_id: IdParam | None = None,
) -> Page[CreditReviewPublic]:
    """Newest first; `status=open` is the queue of proposals waiting for a credit manager."""
    items, total = await db.run(
        reviews.list_reviews, status, customer_id, paging.limit, paging.offset
    )
    return Page(items=items, total=total)


@router.get("/{review_id}", dependencies=[READERS])
async def get_review(review_id: IdParam, db: DatabaseDep) -> CreditReviewPublic:
    return await db.run(reviews.get_review, review_id)


async def send_decision(
    db: DatabaseDep,
    temporal: TemporalDep,
    user: User,
    review_id: int,
    verdict: Verdict,
    **answer: Any,
) -> CreditReviewPublic:
    """The `decide` Update to the customer's review workflow, after the 409 checks; the
    workspace's review queue answers through it too."""
    decision = ReviewDecision(
        review_id=review_id,
        verdict=verdict,
        user=user.username,
        roles=sorted(user.role_set),
        **answer,
    )
    review = await db.run(reviews.get_review, review_id)
    await db.run(reviews.check_decidable, decision)  # 409 before any message
    handle = temporal.get_workflow_handle(credit_review_workflow_id(review.customer_id))
    await handle.execute_update(CreditReviewWorkflow.decide, decision)
    return await db.run(reviews.get_review, review_id)


@router.post("/{review_id}/accept", dependencies=[DECIDERS])
async def accept(
    review_id: IdParam,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
    body: AcceptRequest | None = None,
) -> CreditReviewPublic:
    """The proposal applies; a raise above the approval amount waits for a second approver."""
    comment = body.comment if body else None
    return await send_decision(db, temporal, user, review_id, Verdict.ACCEPT, comment=comment)


@router.post("/{review_id}/adjust", dependencies=[DECIDERS])
async def adjust(
    review_id: IdParam,
    body: AdjustRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> CreditReviewPublic:
    """Another limit or class than proposed (the proposed hold stays)."""
    return await send_decision(db, temporal, user, review_id, Verdict.ADJUST, **body.model_dump())


@router.post("/{review_id}/reject", dependencies=[DECIDERS])
async def reject(
    review_id: IdParam,
    body: RejectRequest,
    db: DatabaseDep,
    temporal: TemporalDep,
    user: CurrentUser,
) -> CreditReviewPublic:
    return await send_decision(db, temporal, user, review_id, Verdict.REJECT, comment=body.comment)
