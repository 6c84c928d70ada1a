"""The monthly run, as the Schedule's activity runs it for every customer at once: each review
kept, and for a proposal the CreditReviewWorkflow start queued in the outbox, the same message a
single review queues; a customer whose proposal waits is scored but proposed nothing again."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.credit.review_rule_versions import save_review_rules
from activities.credit.review_run import review_everyone
from activities.credit.reviews import ReviewConfig, get_review_row, open_review
from activities.transaction import transaction
from models.credit.messages import (
    CREDIT_REVIEW_WORKFLOW,
    ReviewAllInput,
    ReviewInput,
    StartReviewInput,
)
from models.credit.review_rule_versions import ReviewRulesCreate
from models.credit.reviews import CreditReview, ReviewStatus, ReviewTrigger
from models.outbox import OutboxKind, OutboxMessage, OutboxState
from models.workflow_ids import credit_review_workflow_id
from tests import factories
from tests.credit.test_credit_review_workflow import strong_financials

MONTH_ENDS = (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31))


def run(engine: Engine, as_of: date) -> tuple[int, int]:
    with transaction(engine) as session:
        done = review_everyone(session, ReviewAllInput(as_of=as_of))
    return done.reviewed, done.proposals


def test_the_monthly_run_keeps_every_review_and_queues_each_proposals_workflow(
    engine: Engine,
) -> None:
    late = factories.customer(engine, "LATE", credit_limit="10000.00")
    quiet = factories.customer(engine, "QUIET", credit_limit="500.00")
    runs = []
    for month_end in MONTH_ENDS:  # pays each month's invoice 20 days late
        due = month_end.replace(day=5)
        owed = factories.invoice(engine, late.id, "1000.00", due=due)
        factories.payment(
            engine,
            late.id,
            "1100.00",
            received_on=due + timedelta(20),
            allocations={owed.id: "1100"},
        )
        runs.append(run(engine, month_end))
    runs.append(run(engine, MONTH_ENDS[-1] + timedelta(1)))  # again, while the proposal waits

    assert runs == [(2, 0), (2, 0), (2, 1), (2, 0)]
    with Session(engine) as session:
        reviews = session.exec(select(CreditReview).order_by(col(CreditReview.id))).all()
        messages = session.exec(
            select(OutboxMessage).where(OutboxMessage.name == CREDIT_REVIEW_WORKFLOW)
        ).all()
    assert len(reviews) == 8
    third = {r.customer_id: r for r in reviews if r.as_of == MONTH_ENDS[-1]}
    assert {i: r.status for i, r in third.items()} == {
        late.id: ReviewStatus.OPEN,
        quiet.id: ReviewStatus.NO_CHANGE,
    }
    proposal = third[late.id]
    assert (proposal.rule, proposal.proposed_hold, proposal.trigger) == (
        "pays late three months running",
        True,
        ReviewTrigger.SCHEDULE,
    )
    (message,) = messages
    workflow_id = credit_review_workflow_id(late.id)
    assert (message.key, message.kind, message.state) == (
        f"start:{workflow_id}/review-{proposal.id}",
        OutboxKind.START_WORKFLOW,
        OutboxState.PENDING,
    )
    assert (message.target, message.name, message.attempts) == (
        workflow_id,
        CREDIT_REVIEW_WORKFLOW,
        0,
    )
    assert StartReviewInput.model_validate(message.payload) == StartReviewInput(
        customer_id=late.id, trigger=ReviewTrigger.SCHEDULE, review_id=proposal.id
    )


def test_a_review_the_monthly_run_keeps_reads_back_as_one_made_alone(engine: Engine) -> None:
    """The run writes its reviews in bulk (COPY on PostgreSQL), each value converted as the
    ORM converts it: money, enums, dates and flags read back the same."""
    payer = factories.customer(engine, "PAYER", credit_limit="1234.50")
    factories.customer(engine, "NONE", credit_limit="0.00")
    owed = factories.invoice(engine, payer.id, "987.65", due=date(2026, 3, 5))
    factories.payment(
        engine, payer.id, "987.65", received_on=date(2026, 3, 17), allocations={owed.id: "987.65"}
    )
    as_of = date(2026, 3, 31)
    run(engine, as_of)
    with transaction(engine) as session:
        kept = session.exec(select(CreditReview).order_by(col(CreditReview.customer_id))).all()
        for review in kept:
            data = ReviewInput(
                customer_id=review.customer_id, trigger=ReviewTrigger.SCHEDULE, as_of=as_of
            )
            alone = get_review_row(session, open_review(session, data, ReviewConfig()).review_id)
            compared = set(CreditReview.model_fields) - {"id", "created_at"}
            assert review.model_dump(include=compared) == alone.model_dump(include=compared)
    assert [(r.limit_before, r.utilisation, r.days_beyond_terms) for r in kept] == [
        (Decimal("1234.5000"), Decimal("8.0000"), Decimal("26.0000")),
        (Decimal("0.0000"), None, None),
    ]


def steady_payer_near_its_limit(engine: Engine, code: str) -> int:
    """Pays on time, strong financials, and owes 880.00 of its 1,000.00 at each month end (the
    month's invoice, paid after the review)."""
    customer = factories.customer(engine, code, credit_limit="1000.00")
    strong_financials(engine, customer.id)
    factories.invoice(engine, customer.id, "100.00", due=date(2025, 12, 1))
    factories.payment(engine, customer.id, "110.00", received_on=date(2025, 11, 30))
    return customer.id


def test_the_monthly_run_reads_the_months_before_from_the_reviews_it_kept(engine: Engine) -> None:
    """Three months running near the limit with grade A propose the raise; a customer whose
    February review is missing (a gap) is proposed nothing in March."""
    steady = steady_payer_near_its_limit(engine, "STEADY")
    gap = steady_payer_near_its_limit(engine, "GAP")
    runs = []
    for month_end in MONTH_ENDS:
        owed = {
            customer_id: factories.invoice(
                engine, customer_id, "800.00", due=month_end + timedelta(15)
            )
            for customer_id in (steady, gap)
        }
        runs.append(run(engine, month_end))
        if month_end == MONTH_ENDS[1]:
            with Session(engine) as session, session.begin():
                (february,) = session.exec(
                    select(CreditReview).where(
                        CreditReview.customer_id == gap, CreditReview.as_of == month_end
                    )
                ).all()
                session.delete(february)
        for customer_id, invoice in owed.items():
            factories.payment(
                engine,
                customer_id,
                "880.00",
                received_on=month_end + timedelta(14),
                allocations={invoice.id: "880.00"},
            )

    assert runs == [(2, 0), (2, 0), (2, 1)]
    with Session(engine) as session:
        march = {
            r.customer_id: r
            for r in session.exec(select(CreditReview).where(CreditReview.as_of == MONTH_ENDS[-1]))
        }
    assert [(r.grade, r.utilisation) for r in march.values()] == [("A", Decimal("88.0000"))] * 2
    assert (march[steady].status, march[steady].rule) == (
        ReviewStatus.OPEN,
        "steady payer near its limit",
    )
    assert (march[steady].limit_before, march[steady].proposed_limit) == (
        Decimal("1000.0000"),
        Decimal("1200.0000"),
    )
    assert (march[gap].status, march[gap].rule) == (ReviewStatus.NO_CHANGE, None)


def late_in_march_and_before(engine: Engine, code: str, months_before: int) -> int:
    """Pays March's invoice 20 days late, and was reviewed as 20 days late in each of the
    `months_before` months before March."""
    customer = factories.customer(engine, code, credit_limit="10000.00")
    owed = factories.invoice(engine, customer.id, "1000.00", due=date(2026, 3, 5))
    factories.payment(
        engine,
        customer.id,
        "1100.00",
        received_on=date(2026, 3, 25),
        allocations={owed.id: "1100.00"},
    )
    month_ends = [date(2026, 2, 28), date(2026, 1, 31), date(2025, 12, 31), date(2025, 11, 30)]
    with Session(engine) as session, session.begin():
        for month_end in month_ends[:months_before]:
            session.add(
                CreditReview(
                    customer_id=customer.id,
                    trigger=ReviewTrigger.SCHEDULE,
                    as_of=month_end,
                    score=40,
                    grade="D",
                    utilisation=Decimal("10.0"),
                    days_beyond_terms=Decimal("20.0"),
                    limit_before=Decimal("10000.00"),
                    class_before="standard",
                )
            )
    return customer.id


def test_the_monthly_run_reads_as_many_months_before_as_the_rules_in_force_look_at(
    engine: Engine,
) -> None:
    five = late_in_march_and_before(engine, "FIVE", months_before=4)
    four = late_in_march_and_before(engine, "FOUR", months_before=3)
    rule = {
        "name": "pays late five months running",
        "days_beyond_terms_above": "15",
        "for_months": 5,
        "change_limit_pct": "-50",
        "hold": True,
    }
    with Session(engine) as session, session.begin():
        save_review_rules(session, ReviewRulesCreate.model_validate({"rules": [rule]}), "cm")

    assert run(engine, MONTH_ENDS[-1]) == (2, 1)
    with Session(engine) as session:
        march = {
            r.customer_id: r
            for r in session.exec(select(CreditReview).where(CreditReview.as_of == MONTH_ENDS[-1]))
        }
    assert (march[five].status, march[five].rule, march[five].proposed_limit) == (
        ReviewStatus.OPEN,
        "pays late five months running",
        Decimal("5000.0000"),
    )
    assert (march[four].status, march[four].rule) == (ReviewStatus.NO_CHANGE, None)
