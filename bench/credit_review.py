"""Credit review benchmark: the monthly review of 20,000 customers over 1,000,000 invoices of
history (the ageing bench's data as a history: most invoices paid in full, each with its payment
and allocation; loaded in bulk): behaviour read in grouped queries, every
customer scored, each review kept and its proposal made. Timed beside a plain
`SELECT customer_id, COUNT(*), SUM(total) FROM invoice GROUP BY customer_id` over the same table
in the same run, on SQLite and on PostgreSQL (a database of its own, dropped after).

    python -m bench credit_review [--invoices 100000] [--customers 20000] [--only sqlite|postgresql]

Targets: under 60 s on each database; within 3x of the plain aggregate is the goal."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from activities.credit.behaviour import behaviours_in_turn
from activities.credit.review_run import review_everyone
from activities.credit.scorecards import scorecard_in_force
from activities.transaction import transaction
from bench._databases import each_database
from bench.ageing import build, peak_mb
from models.credit.messages import ReviewAllInput
from models.credit.profile import score_inputs
from models.credit.scorecard import graded


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def measure(engine: Engine, customers: int) -> dict[str, float]:
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

    return {"plain": timed(plain_scan), "scoring": timed(scoring), "review": timed(reviews)}


def run_on(name: str, url: str, invoices: int, customers: int) -> None:
    engine = create_engine(url)
    try:
        load = build(engine, invoices, customers, paid=True)
        figures = measure(engine, customers)
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
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args(argv)
    print(f"credit review: {args.invoices:,} invoices over {args.customers:,} customers")
    for name, url, _ in each_database(args.only):
        run_on(name, url, args.invoices, args.customers)


if __name__ == "__main__":
    main()
