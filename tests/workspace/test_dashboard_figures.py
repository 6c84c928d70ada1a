"""What the dashboard reads, on SQLite and PostgreSQL: the ageing of the largest accounts only
(its totals are the ageing report's, its customers the report's rows of the largest and most
overdue balances), DSO, collection effectiveness, bookings, statuses and credit used."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.reports.ageing import ageing_report
from activities.reports.largest_balances import largest_balances
from activities.security.users import find_user
from api.deps import Database
from api.main import create_app
from api.pages.dashboard_cache import FiguresCache
from api.pages.dashboard_figures import EVERYTHING, read_figures, sources
from models.reports.ageing import DEFAULT_BUCKETS, AgeingBasis
from models.security.users import User
from tests import factories
from tests.support.settings import make_settings


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


async def test_kept_figures_are_shown_while_they_are_read_again_in_the_background(
    engine: Engine,
) -> None:
    today = date.today()
    factories.one_user_per_role(engine)
    acme = factories.customer(engine)
    factories.product(engine)
    factories.invoice(engine, acme.id, "1000.00", due=today - timedelta(days=45))
    now = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    cache = FiguresCache(60, clock=lambda: now)
    db = Database(engine)
    with Session(engine) as session:
        finance = find_user(session, "finance")
    assert finance is not None

    async def open_receivables() -> tuple[Decimal, datetime]:
        reading = await cache.read(db, finance, today, EVERYTHING)
        assert reading.figures.ageing is not None
        return reading.figures.ageing.totals[0].total, reading.read_at

    assert await open_receivables() == (Decimal("1100.00"), now)  # none kept: read at once
    factories.payment(engine, acme.id, "550.00", received_on=today)
    first = now
    now += timedelta(seconds=59)
    assert await open_receivables() == (Decimal("1100.00"), first)  # as of the first reading
    assert not cache.refreshes
    now += timedelta(seconds=1)
    # A minute on: the visit still shows the kept figures, as of when they were read, and
    # one reading starts behind it; asking again meanwhile starts no second one.
    assert await open_receivables() == (Decimal("1100.00"), first)
    key = (sources(finance), today, EVERYTHING)
    assert cache.refresh(db, key) is cache.refresh(db, key)
    await cache.refresh(db, key)
    assert not cache.refreshes
    assert await open_receivables() == (Decimal("550.00"), now)  # the new reading
    with Session(engine) as session:  # and exact: what the ageing report says now
        report = ageing_report(session, today, AgeingBasis.DUE_DATE, DEFAULT_BUCKETS)
    assert report.totals[0].total == Decimal("550.00")


async def test_the_app_reads_every_active_persons_figures_when_it_starts(
    engine: Engine, tmp_path: Path
) -> None:
    today = date.today()
    factories.one_user_per_role(engine)
    factories.invoice(engine, factories.customer(engine).id, "1000.00", due=today)
    app = create_app(make_settings(tmp_path), engine)
    async with app.router.lifespan_context(app):
        await app.state.dashboard_warming
    cache: FiguresCache = app.state.dashboard_figures
    with Session(engine) as session:
        users = session.exec(select(User)).all()
        wanted = {(sources(user), today, EVERYTHING) for user in users}
    assert set(cache.readings) == wanted
    finance = next(user for user in users if user.username == "finance")
    kept = cache.readings[sources(finance), today, EVERYTHING].figures.ageing
    assert kept is not None and kept.totals[0].total == Decimal("1100.00")
