"""Credit reviews: score a customer, keep the review, and propose by the rules a new limit, class
or hold; a credit manager's decision applies it through the one path every limit change takes
(`request_limit`: a large raise waits for a second approver)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import String, cast, text
from sqlalchemy import select as select_columns  # more columns than sqlmodel's `select` types
from sqlmodel import Session, col, select

from activities.bulk_reads import among, driver_rows
from activities.credit.behaviour import among_customers, behaviours
from activities.credit.review_rule_versions import rules_in_force
from activities.credit.scorecards import scorecard_in_force
from activities.master_data.credit_history import record_credit_change
from activities.master_data.credit_limit_changes import request_limit
from activities.master_data.customers import get_customer, lock_customer
from activities.paging import page
from models.base import utcnow
from models.credit.financials import CustomerFinancials, FinancialsPublic
from models.credit.history import ChangeSource, CreditTerm
from models.credit.messages import (
    ReviewDecided,
    ReviewDecision,
    ReviewInput,
    ReviewOpened,
    Verdict,
)
from models.credit.profile import Behaviour, BehaviourFacts, score_inputs
from models.credit.review_rules import MonthFacts, ProposalRule, propose
from models.credit.reviews import (
    OPEN_REVIEW,
    CreditReview,
    CreditReviewPublic,
    CustomerCreditHold,
    ReviewStatus,
    ReviewTrigger,
)
from models.credit.scorecard import Grade, ScorecardSpec, graded
from models.errors import Conflict, NotFound
from models.master_data.credit_duties import RaiseApproval
from models.master_data.customers import Customer


@dataclass(frozen=True)
class ReviewConfig:
    """What the settings say about reviews (o2c/settings.py)."""

    remind_after: timedelta = timedelta(hours=48)
    escalate_after: timedelta = timedelta(hours=120)
    approval: RaiseApproval = RaiseApproval()


def on_hold(session: Session, customer_id: int) -> bool:
    return session.get(CustomerCreditHold, customer_id) is not None


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _months_before(day: date, back: int) -> date:
    """The first day of the month `back` months before `day`'s."""
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


class EarlierMonth(NamedTuple):
    """What the rules read of a review before this month: its date and its month's facts (read
    as these columns alone, not as whole reviews)."""

    as_of: date
    facts: MonthFacts


@dataclass
class ReviewContext:
    """What reviewing many customers at once reads up front, in one query each."""

    card: tuple[int | None, ScorecardSpec]
    rules: tuple[int, list[ProposalRule]]  # the review rules version in force
    financials: dict[int, FinancialsPublic]
    held: set[int]
    waiting: set[int]  # customers with a proposal still open

    def may_propose(self, review: dict[str, Any]) -> bool:
        """Whether a rule can propose for this review (`scored`): none while another proposal
        waits, and none unless it holds in this month (every rule's months begin with this
        one). Only then are the months before read (`earlier_months`): a few customers a run."""
        if review["customer_id"] in self.waiting:
            return False
        current = _current(review)
        return any(rule.holds_in(current) for rule in self.rules[1])


def _current(review: dict[str, Any]) -> MonthFacts:
    return MonthFacts(review["grade"], review["utilisation"], review["days_beyond_terms"])


def review_context(session: Session, as_of: date, customer_ids: list[int] | None) -> ReviewContext:
    financials = session.exec(
        select(CustomerFinancials).where(
            *among_customers(CustomerFinancials.customer_id, customer_ids)
        )
    ).all()
    held = session.exec(
        select(CustomerCreditHold.customer_id).where(
            *among_customers(CustomerCreditHold.customer_id, customer_ids)
        )
    ).all()
    waiting = session.exec(
        select(CreditReview.customer_id).where(
            text(OPEN_REVIEW), *among_customers(CreditReview.customer_id, customer_ids)
        )
    ).all()
    return ReviewContext(
        card=scorecard_in_force(session),
        rules=rules_in_force(session),
        financials={row.customer_id: FinancialsPublic.of(row) for row in financials},
        held=set(held),
        waiting=set(waiting),
    )


def earlier_months(
    session: Session, as_of: date, context: ReviewContext, customer_ids: list[int]
) -> dict[int, list[EarlierMonth]]:
    """These customers' reviews before `as_of`'s month, newest first, as their month's facts;
    only back as far as the longest rule in force looks (`month_facts` stops at the first gap)."""
    back = max((rule.for_months for rule in context.rules[1]), default=1) - 1
    earlier: dict[int, list[EarlierMonth]] = defaultdict(list)
    if not customer_ids:
        return earlier
    conn = session.connection()
    rows = driver_rows(
        conn,
        select_columns(
            col(CreditReview.customer_id),
            col(CreditReview.as_of),
            cast(col(CreditReview.grade), String),  # its name, as stored, on every database
            col(CreditReview.utilisation),
            col(CreditReview.days_beyond_terms),
        )
        .where(
            col(CreditReview.as_of) < as_of.replace(day=1),
            col(CreditReview.as_of) >= _months_before(as_of, back),
            among(conn, col(CreditReview.customer_id), customer_ids),
        )
        .order_by(col(CreditReview.as_of).desc(), col(CreditReview.id).desc()),
    )
    for customer_id, day, grade, utilisation, days in rows:
        facts = MonthFacts(Grade[grade], utilisation, days)
        earlier[customer_id].append(EarlierMonth(day, facts))
    return earlier


def month_facts(as_of: date, current: MonthFacts, earlier: list[EarlierMonth]) -> list[MonthFacts]:
    """This review's facts, then the last review of each month before it (`earlier`, newest
    first), while the months follow each other without a gap."""
    months = [current]
    wanted = _month_before(as_of.year, as_of.month)
    for day, facts in earlier:
        seen = (day.year, day.month)
        if seen == wanted:
            months.append(facts)
            wanted = _month_before(*wanted)
        elif seen < wanted:
            break
    return months


@dataclass(frozen=True, slots=True)
class CreditTerms:
    """What a review reads of its customer: the credit terms as they stand. The monthly run
    reads these four columns of every customer (not whole customers, whose contact details are
    decrypted as they load)."""

    id: int
    credit_limit: Decimal
    credit_class: str
    currency: str

    @classmethod
    def of(cls, customer: Customer) -> CreditTerms:
        return cls(
            customer.id or 0, customer.credit_limit, customer.credit_class, customer.currency
        )


def scored(
    customer: CreditTerms,
    behaviour: Behaviour | BehaviourFacts,
    context: ReviewContext,
    trigger: ReviewTrigger,
    as_of: date,
    at: datetime,
) -> dict[str, Any]:
    """The customer scored, as the review's column values with no change proposed (yet): the
    monthly run inserts thousands at once. `at`: when it was made."""
    scorecard_id, spec = context.card
    customer_id = customer.id
    financials = context.financials.get(customer_id)
    points, grade = graded(spec, score_inputs(behaviour, financials, customer.currency))
    return {
        "customer_id": customer_id,
        "trigger": trigger,
        "as_of": as_of,
        "scorecard_id": scorecard_id,
        "score": points,
        "grade": grade,
        "utilisation": behaviour.utilisation,
        "days_beyond_terms": behaviour.month_days_beyond_terms,
        "status": ReviewStatus.NO_CHANGE,
        "limit_before": customer.credit_limit,
        "class_before": customer.credit_class,
        "hold_before": customer_id in context.held,
        "proposed_hold": False,
        "created_at": at,
    }


def propose_in(
    review: dict[str, Any],
    customer: CreditTerms,
    context: ReviewContext,
    earlier: list[EarlierMonth],
) -> None:
    """What the rules propose for a review that `may_propose`, given the customer's months
    before (`earlier_months`), written into it: an open proposal, or nothing."""
    months = month_facts(review["as_of"], _current(review), earlier)
    rule_set_version, rules = context.rules
    proposal = propose(rules, months, customer.credit_limit, customer.currency)
    if proposal is not None:
        review.update(
            status=ReviewStatus.OPEN,
            rule_set_version=rule_set_version,
            rule=proposal.rule,
            proposed_limit=proposal.credit_limit,
            proposed_class=proposal.credit_class,
            proposed_hold=proposal.hold,
        )


def make_review(
    session: Session,
    customer: CreditTerms,
    behaviour: Behaviour | BehaviourFacts,
    context: ReviewContext,
    trigger: ReviewTrigger,
    as_of: date,
) -> dict[str, Any]:
    """One customer's review (`scored`), with what the rules propose."""
    review = scored(customer, behaviour, context, trigger, as_of, utcnow())
    if context.may_propose(review):
        earlier = earlier_months(session, as_of, context, [customer.id])
        propose_in(review, customer, context, earlier.get(customer.id, []))
    return review


def open_review(session: Session, data: ReviewInput, config: ReviewConfig) -> ReviewOpened:
    """The workflow's review: made now, or the one the monthly run made (`review_id`)."""
    if data.review_id is not None:
        review = get_review_row(session, data.review_id)
    else:
        customer = get_customer(session, data.customer_id)
        behaviour = behaviours(session, data.as_of, [data.customer_id])[data.customer_id]
        context = review_context(session, data.as_of, [data.customer_id])
        terms = CreditTerms.of(customer)
        review = CreditReview(
            **make_review(session, terms, behaviour, context, data.trigger, data.as_of)
        )
        session.add(review)
        session.flush()
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
            config.approval,
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
