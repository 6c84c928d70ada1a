"""Races on PostgreSQL: invoice numbers stay gapless when many invoices are issued at once (also
when some transactions roll back after taking a number); concurrent payments never pay one
invoice twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.master_data.customers import get_customer
from activities.receivables.invoices import BillLine, issue_invoice
from models.receivables.invoices import Invoice
from tests import factories
from tests.fixtures.databases import needs_postgresql
from tests.support.receivables import credit_of, current

pytestmark = needs_postgresql


class RolledBack(Exception):
    pass


def test_concurrent_invoices_get_gapless_numbers(pg_engine: Engine) -> None:
    engine = pg_engine
    customer = factories.customer(engine)

    def issue(n: int) -> str | None:
        try:
            with Session(engine) as session, session.begin():
                invoice, _ = issue_invoice(
                    session,
                    customer=get_customer(session, customer.id),
                    currency="USD",
                    lines=[BillLine("W", "Widget", Decimal(1), Decimal("10.00"))],
                    issue_date=date(2026, 6, 1),
                    key=f"race-{n}",
                )
                if n % 5 == 0:
                    raise RolledBack  # took a number, then failed: the number is not lost
                return invoice.number
        except RolledBack:
            return None

    with ThreadPoolExecutor(max_workers=16) as pool:
        numbers = [x for x in pool.map(issue, range(60)) if x is not None]

    with Session(engine) as session:
        stored = sorted(session.exec(select(Invoice.number)).all())
    expected = [f"INV-2026-{i:06d}" for i in range(1, 49)]
    assert sorted(numbers) == stored == expected


def test_concurrent_payments_never_settle_one_invoice_twice(pg_engine: Engine) -> None:
    engine = pg_engine
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)  # 110.00

    with ThreadPoolExecutor(max_workers=8) as pool:
        payments = list(
            pool.map(lambda _: factories.payment(engine, customer.id, "110.00"), range(8))
        )

    allocated = sum((a.amount for p in payments for a in p.allocations), Decimal(0))
    assert allocated == Decimal("110.00")
    assert current(engine, issued.id).outstanding == 0
    assert credit_of(engine, customer.id) == Decimal("770.00")
