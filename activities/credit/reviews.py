"""Credit reviews: score a customer, keep the review, and propose by the rules a new limit, class
or hold; a credit manager's decision applies it through the one path every limit change takes
(`request_limit`: a large raise waits for a second approver)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.credit.behaviour import behaviours
from activities.credit.profile import financials_of
from activities.credit.scorecards import scorecard_in_force
from activities.master_data.credit_history import record_credit_change
from activities.master_data.credit_limit_changes import request_limit
from activities.master_data.customers import get_customer, lock_customer
from activities.paging import page
from models.credit.history import ChangeSource, CreditTerm
from models.credit.messages import (
    ReviewDecided,
    ReviewDecision,
    ReviewInput,
    ReviewOpened,
    Verdict,
)
from models.credit.profile import Behaviour, score_inputs
from models.credit.review_rules import DEFAULT_RULES, MonthFacts, Proposal, propose
from models.credit.reviews import (
    CreditReview,
    CreditReviewPublic,
    CustomerCreditHold,
    ReviewStatus,
)
from models.credit.scorecard import ScorecardSpec, score
from models.errors import Conflict, NotFound
from models.master_data.customers import Customer


@dataclass(frozen=True)
class ReviewConfig:
    """What the settings say about reviews (o2c/settings.py)."""

    remind_after: timedelta = timedelta(hours=48)
    escalate_after: timedelta = timedelta(hours=120)
    approval_above: Decimal = Decimal("50000.00")


def on_hold(session: Session, customer_id: int) -> bool:
    return session.get(CustomerCreditHold, customer_id) is not None


def _facts(review: CreditReview) -> MonthFacts:
    return MonthFacts(
        grade=review.grade,
        utilisation=review.utilisation,
        days_beyond_terms=review.days_beyond_terms,
    )


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def month_facts(session: Session, review: CreditReview) -> list[MonthFacts]:
    """This review's facts, then the last review of each month before it, while the months
    follow each other without a gap."""
    earlier = session.exec(
        select(CreditReview)
        .where(
            CreditReview.customer_id == review.customer_id,
            col(CreditReview.as_of) < review.as_of.replace(day=1),
        )
        .order_by(col(CreditReview.as_of).desc(), col(CreditReview.id).desc())
    ).all()
    months = [_facts(review)]
    wanted = _month_before(review.as_of.year, review.as_of.month)
    for past in earlier:
        seen = (past.as_of.year, past.as_of.month)
        if seen == wanted:
            months.append(_facts(past))
            wanted = _month_before(*wanted)
        elif seen < wanted:
            break
    return months


def _scored_review(
    customer: Customer,
    behaviour: Behaviour,
    spec: ScorecardSpec,
    scorecard_id: int | None,
    data: ReviewInput,
    session: Session,
) -> CreditReview:
    scored = score(
        spec, score_inputs(behaviour, financials_of(session, customer.id or 0), customer.currency)
    )
    return CreditReview(
        customer_id=customer.id or 0,
        trigger=data.trigger,
        as_of=data.as_of,
        scorecard_id=scorecard_id,
        score=scored.score,
        grade=scored.grade,
        utilisation=behaviour.utilisation,
        days_beyond_terms=behaviour.month_days_beyond_terms,
        limit_before=customer.credit_limit,
        class_before=customer.credit_class,
        hold_before=on_hold(session, customer.id or 0),
    )


def _with_proposal(review: CreditReview, proposal: Proposal | None) -> None:
    if proposal is None:
        return
    review.status = ReviewStatus.OPEN
    review.rule = proposal.rule
    review.proposed_limit = proposal.credit_limit
    review.proposed_class = proposal.credit_class
    review.proposed_hold = proposal.hold


def make_review(
    session: Session,
    customer: Customer,
    behaviour: Behaviour,
    card: tuple[int | None, ScorecardSpec],
    data: ReviewInput,
) -> CreditReview:
    """Scores the customer, keeps the review and its proposal (none while another waits)."""
    review = _scored_review(customer, behaviour, card[1], card[0], data, session)
    session.add(review)
    session.flush()
    waiting = session.exec(
        select(CreditReview.id).where(
            CreditReview.customer_id == review.customer_id,
            CreditReview.status == ReviewStatus.OPEN,
        )
    ).first()
    if waiting is None:
        proposal = propose(
            DEFAULT_RULES, month_facts(session, review), customer.credit_limit, customer.currency
        )
        _with_proposal(review, proposal)
        session.add(review)
    return review


def open_review(session: Session, data: ReviewInput, config: ReviewConfig) -> ReviewOpened:
    """The workflow's review: made now, or the one the monthly run made (`review_id`)."""
    if data.review_id is not None:
        review = get_review_row(session, data.review_id)
    else:
        customer = get_customer(session, data.customer_id)
        behaviour = behaviours(session, data.as_of, [data.customer_id])[data.customer_id]
        review = make_review(session, customer, behaviour, scorecard_in_force(session), data)
    return ReviewOpened(
        review_id=review.id or 0,
        status=review.status,
        remind_after=config.remind_after,
        escalate_after=config.escalate_after,
    )


def get_review_row(session: Session, review_id: int) -> CreditReview:
    review = session.get(CreditReview, review_id)
    if review is None:
        raise NotFound(f"credit review {review_id} does not exist")
    return review


def check_current(session: Session, review: CreditReview) -> Customer:
    """The customer's credit as the proposal found it, or 409: a proposal made for a limit,
    class or hold that has changed since no longer fits."""
    customer = lock_customer(session, review.customer_id)
    now = (customer.credit_limit, customer.credit_class, on_hold(session, review.customer_id))
    if now != (review.limit_before, review.class_before, review.hold_before):
        raise Conflict(
            f"customer {customer.code}'s credit changed since review {review.id}: review again",
            field="credit_limit",
        )
    return customer


def _record(
    session: Session,
    review: CreditReview,
    customer: Customer,
    decision: ReviewDecision,
    term: CreditTerm,
    after: str,
) -> None:
    before = customer.credit_class if term == CreditTerm.CLASS else "off"
    record_credit_change(
        session,
        customer,
        term,
        before,
        after,
        source=ChangeSource.REVIEW,
        changed_by=decision.user,
        reason=decision.comment,
        review_id=review.id,
    )


def decide_review(
    session: Session, decision: ReviewDecision, config: ReviewConfig
) -> ReviewDecided:
    """A rejection always ends the proposal; accepting or adjusting one that is no longer
    current (the customer's credit changed since) is refused."""
    review = get_review_row(session, decision.review_id)
    if review.status != ReviewStatus.OPEN:
        raise Conflict(f"credit review {review.id} is {review.status}, not open")
    review.decided_by, review.comment = decision.user, decision.comment
    review.decided_at = decision.at or datetime.now(UTC)
    if decision.verdict == Verdict.REJECT:
        review.status = ReviewStatus.REJECTED
        session.add(review)
        return ReviewDecided(status=review.status)
    customer = check_current(session, review)
    limit, credit_class = review.proposed_limit, review.proposed_class
    review.status = ReviewStatus.ACCEPTED
    if decision.verdict == Verdict.ADJUST:
        limit, credit_class = decision.credit_limit, decision.credit_class
        review.status = ReviewStatus.ADJUSTED
    if credit_class is not None:
        _record(session, review, customer, decision, CreditTerm.CLASS, credit_class)
        customer.credit_class = credit_class
        session.add(customer)
    if review.proposed_hold and not review.hold_before:
        _record(session, review, customer, decision, CreditTerm.HOLD, "on")
        session.add(
            CustomerCreditHold(
                customer_id=review.customer_id, review_id=review.id, placed_by=decision.user
            )
        )
    if limit is not None and limit != customer.credit_limit:
        review.limit_change_id = request_limit(
            session,
            customer,
            limit,
            decision.user,
            config.approval_above,
            source=ChangeSource.REVIEW,
            reason=decision.comment,
            review_id=review.id,
        )
    session.add(review)
    session.flush()
    return ReviewDecided(status=review.status, limit_change_id=review.limit_change_id)


def get_review(session: Session, review_id: int) -> CreditReviewPublic:
    return CreditReviewPublic.model_validate(get_review_row(session, review_id))


def list_reviews(
    session: Session,
    status: ReviewStatus | None,
    customer_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[CreditReviewPublic], int]:
    """Newest first."""
    query = select(CreditReview).order_by(col(CreditReview.id).desc())
    if status is not None:
        query = query.where(CreditReview.status == status)
    if customer_id is not None:
        query = query.where(CreditReview.customer_id == customer_id)
    rows, total = page(session, query, limit, offset)
    return [CreditReviewPublic.model_validate(row) for row in rows], total


def check_decidable(session: Session, decision: ReviewDecision) -> None:
    """The route's check before it sends the Update: 409 for a proposal that is no longer open,
    or, to be accepted or adjusted, no longer current."""
    review = get_review_row(session, decision.review_id)
    if review.status != ReviewStatus.OPEN:
        raise Conflict(f"credit review {review.id} is {review.status}, not open")
    if decision.verdict != Verdict.REJECT:
        check_current(session, review)
