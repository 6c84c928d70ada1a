"""The dashboard reads the ageing of the largest accounts only: its totals are the ageing
report's, and its customers the report's rows of the largest and the most overdue balances."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.reports.ageing import ageing_report
from activities.reports.largest_balances import largest_balances
from models.reports.ageing import DEFAULT_BUCKETS, AgeingBasis
from tests import factories


def test_the_largest_balances_agree_with_the_ageing_report(sqlite_engine: Engine) -> None:
    today = date.today()
    factories.product(sqlite_engine)
    for n in range(1, 7):  # C1 owes least, C6 most; only C1 and C2 are overdue
        buyer = factories.customer(sqlite_engine, f"C{n}")
        due = today - timedelta(days=40) if n <= 2 else today + timedelta(days=5)
        factories.invoice(sqlite_engine, buyer.id, f"{n}00.00", due=due)
    with Session(sqlite_engine) as session:
        full = ageing_report(session, today, AgeingBasis.DUE_DATE, DEFAULT_BUCKETS)
        top = largest_balances(session, today, DEFAULT_BUCKETS, 2)
    assert top.totals == full.totals
    assert [c.code for c in top.customers] == ["C1", "C2", "C5", "C6"]
    assert top.customers == [c for c in full.customers if c.code in ("C1", "C2", "C5", "C6")]
