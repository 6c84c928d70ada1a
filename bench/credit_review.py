"""Credit review benchmark: the monthly review of 20,000 customers over 1,000,000 invoices of
history (the ageing bench's data, loaded in bulk): behaviour read in grouped queries, every
customer scored, each review kept and its proposal made. Timed beside a plain
`SELECT customer_id, COUNT(*), SUM(total) FROM invoice GROUP BY customer_id` over the same table
in the same run, on SQLite and on PostgreSQL (a database of its own, dropped after).

    python -m bench credit_review [--invoices 100000] [--customers 20000] [--only sqlite|postgresql]

Targets: under 60 s on each database; within 3x of the plain aggregate is the goal."""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from activities.credit.behaviour import behaviours
from activities.credit.review_run import review_everyone
from activities.credit.scorecards import scorecard_in_force
from activities.transaction import transaction
from bench.ageing import PG_ADMIN_URL, build, peak_mb
from models.credit.messages import ReviewAllInput
from models.credit.profile import score_inputs
from models.credit.scorecard import score


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def measure(engine: Engine) -> dict[str, float]:
    as_of = date.today()
    plain = text("SELECT customer_id, COUNT(*), SUM(total) FROM invoice GROUP BY customer_id")

    def plain_scan() -> None:
        with engine.connect() as conn:
            conn.execute(plain).all()

    def scoring() -> None:
        with transaction(engine) as session:
            _, spec = scorecard_in_force(session)
            found = behaviours(session, as_of)
            grades = [score(spec, score_inputs(b, None, "USD")).grade for b in found.values()]
            assert grades

    def reviews() -> None:
        with transaction(engine) as session:
            done = review_everyone(session, ReviewAllInput(as_of=as_of))
            assert done.reviewed

    return {"plain": timed(plain_scan), "scoring": timed(scoring), "review": timed(reviews)}


def run_on(name: str, url: str, invoices: int, customers: int) -> None:
    engine = create_engine(url)
    try:
        load = build(engine, invoices, customers)
        figures = measure(engine)
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
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            run_on("sqlite", url, args.invoices, args.customers)
    if args.only in (None, "postgresql"):
        name = f"o2c_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # no server here: say so, keep the SQLite figures
            print(f"postgresql  skipped: {exc.__class__.__name__}: {exc}".splitlines()[0])
            return
        try:
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
            run_on("postgresql", url, args.invoices, args.customers)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
