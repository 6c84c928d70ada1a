"""Credit review benchmark: the monthly review of 20,000 customers over 1,000,000 invoices of
history (the ageing bench's data as a history: most invoices paid in full, each with its payment
and allocation; loaded in bulk): behaviour read in grouped queries, every
customer scored, each review kept and its proposal made. Timed beside a plain
`SELECT customer_id, COUNT(*), SUM(total) FROM invoice GROUP BY customer_id` over the same table
in the same run, on SQLite and on PostgreSQL (a database of its own, dropped after). As in a
real monthly run, every customer has its reviews of the 3 months before (no change proposed, the
grades and utilisation of a plausible spread; loaded in bulk with the history): the review rules
look back at them.

    python -m bench credit_review [--invoices 100000] [--customers 20000] [--runs 3]
        [--only sqlite|postgresql]

Targets: under 60 s on each database; within 3x of the plain aggregate is the goal."""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from activities.bulk_writes import insert_all
from activities.credit.behaviour import behaviours_in_turn
from activities.credit.review_run import REVIEWS, review_everyone
from activities.credit.scorecards import scorecard_in_force
from activities.transaction import transaction
from bench._databases import each_database
from bench.ageing import build, peak_mb
from models.credit.messages import ReviewAllInput
from models.credit.profile import score_inputs
from models.credit.reviews import ReviewStatus, ReviewTrigger
from models.credit.scorecard import Grade, graded

EARLIER_MONTHS = 3


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _month_start(day: date, back: int) -> date:
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


def load_earlier_reviews(engine: Engine, customers: int, as_of: date, seed: int = 2) -> float:
    """Each customer's reviews of the `EARLIER_MONTHS` months before `as_of`'s (one a month, on
    its first day), as the monthly runs before would have left them: no change proposed, mostly
    good grades, utilisation spread up to 120 % (None for some: no limit then), a few days
    beyond terms. Inserted as the monthly run inserts its own (COPY on PostgreSQL)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    grades = list(Grade)
    created = datetime.now(UTC)
    rows = [
        {
            "customer_id": customer_id,
            "trigger": ReviewTrigger.SCHEDULE,
            "as_of": _month_start(as_of, back),
            "scorecard_id": None,
            "score": rng.randint(30, 95),
            "grade": rng.choices(grades, weights=(40, 30, 15, 10, 5))[0],
            "utilisation": None if rng.random() < 0.1 else Decimal(rng.randint(0, 12_000)) / 100,
            "days_beyond_terms": Decimal(max(0, rng.randint(-500, 3_000))) / 100,
            "status": ReviewStatus.NO_CHANGE,
            "limit_before": Decimal(0),
            "class_before": "standard",
            "hold_before": False,
            "proposed_hold": False,
            "created_at": created,
        }
        for customer_id in range(1, customers + 1)
        for back in range(1, EARLIER_MONTHS + 1)
    ]
    with transaction(engine) as session:
        insert_all(session, REVIEWS, rows)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE credit_review"))  # as after the history (`build`)
    return time.perf_counter() - started


def undo_review(engine: Engine, as_of: date) -> None:
    """The monthly run's reviews and the workflow starts it queued taken away again (untimed),
    so that the next run begins from the same database, as the next month's would."""
    with transaction(engine) as session:
        session.execute(text("DELETE FROM credit_review WHERE as_of = :day"), {"day": as_of})
        session.execute(text("DELETE FROM outbox_message WHERE key LIKE 'start:credit-review-%'"))
    if engine.dialect.name == "postgresql":  # as autovacuum would have left them by then
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE credit_review, outbox_message"))


def measure(engine: Engine, customers: int, runs: int) -> dict[str, float]:
    """Each figure the median of `runs` runs; the review's committed each time, then undone."""
    as_of = date.today()
    plain = text("SELECT customer_id, COUNT(*), SUM(total) FROM invoice GROUP BY customer_id")

    def plain_scan() -> None:
        with engine.connect() as conn:
            conn.execute(plain).all()

    def scoring() -> None:
        with transaction(engine) as session:
            _, spec = scorecard_in_force(session)
            # Each part scored as it comes, the next read meanwhile, as the monthly run does.
            grades = [
                graded(spec, score_inputs(b, None, "USD"))[1]
                for part in behaviours_in_turn(session, as_of)
                for b in part.values()
            ]
            assert len(grades) == customers

    def reviews() -> None:
        with transaction(engine) as session:
            done = review_everyone(session, ReviewAllInput(as_of=as_of))
            assert done.reviewed

    times: dict[str, list[float]] = {"plain": [], "scoring": [], "review": []}
    for _ in range(runs):
        times["plain"].append(timed(plain_scan))
        times["scoring"].append(timed(scoring))
        times["review"].append(timed(reviews))
        undo_review(engine, as_of)
    return {name: statistics.median(taken) for name, taken in times.items()}


def run_on(name: str, url: str, invoices: int, customers: int, runs: int) -> None:
    engine = create_engine(url)
    try:
        load = build(engine, invoices, customers, paid=True)
        load += load_earlier_reviews(engine, customers, date.today())
        figures = measure(engine, customers, runs)
    finally:
        engine.dispose()
    plain = figures["plain"]
    print(
        f"{name:<11} load {load:6.1f} s | plain GROUP BY {plain:.3f} s | "
        f"scoring {figures['scoring']:.2f} s (x{figures['scoring'] / plain:.1f} of plain) | "
        f"review with proposals {figures['review']:.2f} s (x{figures['review'] / plain:.1f}; "
        f"target < 60 s, goal x3) | peak RSS {peak_mb():.0f} MB"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench credit_review", description=__doc__)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args(argv)
    print(
        f"credit review: {args.invoices:,} invoices over {args.customers:,} customers; "
        f"median of {args.runs} runs"
    )
    for name, url, _ in each_database(args.only):
        run_on(name, url, args.invoices, args.customers, args.runs)


if __name__ == "__main__":
    main()
