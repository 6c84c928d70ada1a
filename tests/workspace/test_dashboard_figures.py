"""What the dashboard reads, on SQLite and PostgreSQL: the ageing of the largest accounts only
(its totals are the ageing report's, its customers the report's rows of the largest and most
overdue balances), DSO, collection effectiveness, bookings, statuses and credit used."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.reports.ageing import ageing_report
from activities.reports.largest_balances import largest_balances
from activities.security.users import find_user
from api.pages.dashboard_cache import FiguresCache
from api.pages.dashboard_figures import EVERYTHING, read_figures
from models.reports.ageing import DEFAULT_BUCKETS, AgeingBasis
from tests import factories


def test_the_largest_balances_agree_with_the_ageing_report(engine: Engine) -> None:
    today = date.today()
    factories.product(engine)
    for n in range(1, 7):  # C1 owes least, C6 most; only C1 and C2 are overdue
        buyer = factories.customer(engine, f"C{n}")
        due = today - timedelta(days=40) if n <= 2 else today + timedelta(days=5)
        factories.invoice(engine, buyer.id, f"{n}00.00", due=due)
    with Session(engine) as session:
        full = ageing_report(session, today, AgeingBasis.DUE_DATE, DEFAULT_BUCKETS)
        top = largest_balances(session, today, DEFAULT_BUCKETS, 2)
    assert top.totals == full.totals
    assert [c.code for c in top.customers] == ["C1", "C2", "C5", "C6"]
    assert top.customers == [c for c in full.customers if c.code in ("C1", "C2", "C5", "C6")]


def test_finance_figures_come_out_exact_on_either_database(engine: Engine) -> None:
    today = date.today()
    factories.one_user_per_role(engine)
    acme = factories.customer(engine, credit_limit="2000.00")
    factories.product(engine)
    factories.invoice(engine, acme.id, "1000.00", due=today - timedelta(days=45))
    factories.invoice(engine, acme.id, "100.00", due=today + timedelta(days=10))
    factories.payment(engine, acme.id, "550.00", received_on=today - timedelta(days=3))
    factories.order(engine, acme.id, quantity=3, on=today)
    with Session(engine) as session:
        finance = find_user(session, "finance")
        assert finance is not None
        figures = read_figures(session, finance, today)
    assert figures.ageing is not None and figures.dso is not None
    assert [(t.currency, t.total, t.total - t.not_due) for t in figures.ageing.totals] == [
        ("USD", Decimal("660.00"), Decimal("550.00"))
    ]
    # 660.00 owed on 1,210.00 sold in 90 days.
    assert [(d.currency, d.dso) for d in figures.dso.items] == [("USD", Decimal("49.1"))]
    assert [(c.currency, c.index_pct) for c in figures.effectiveness or []] == [
        ("USD", Decimal("50.0"))
    ]
    assert figures.bookings is not None and figures.bookings[-1].total == Decimal("33.00")
    statuses = [(s.status.value, s.orders) for s in figures.statuses or []]
    assert statuses == [("credit_hold", 1)]  # ACME is overdue
    # Exposure: 660.00 open (the held order does not count, as at the credit gate) of 2,000.00.
    assert [(c.code, c.exposure, c.used_pct) for c in figures.credit or []] == [
        ("ACME", Decimal("660.00"), Decimal("33.0"))
    ]


def test_kept_figures_are_read_again_once_older_than_the_refresh_time(engine: Engine) -> None:
    today = date.today()
    factories.one_user_per_role(engine)
    acme = factories.customer(engine)
    factories.product(engine)
    factories.invoice(engine, acme.id, "1000.00", due=today - timedelta(days=45))
    now = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    cache = FiguresCache(60, clock=lambda: now)

    def open_receivables() -> tuple[Decimal, datetime]:
        with Session(engine) as session:
            finance = find_user(session, "finance")
            assert finance is not None
            reading = cache.read(session, finance, today, EVERYTHING)
        assert reading.figures.ageing is not None
        return reading.figures.ageing.totals[0].total, reading.read_at

    assert open_receivables() == (Decimal("1100.00"), now)
    factories.payment(engine, acme.id, "550.00", received_on=today)
    read_at = now
    now += timedelta(seconds=59)
    assert open_receivables() == (Decimal("1100.00"), read_at)  # as of the first reading
    now += timedelta(seconds=1)
    assert open_receivables() == (Decimal("550.00"), now)  # a minute on: read again
    with Session(engine) as session:  # and exact: what the ageing report says now
        report = ageing_report(session, today, AgeingBasis.DUE_DATE, DEFAULT_BUCKETS)
    assert report.totals[0].total == Decimal("550.00")
