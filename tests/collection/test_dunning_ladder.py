"""The dunning ladder on a time-skipped clock: reminder, each level with its fee and interest,
the credit hold, and payments that stop it or leave it running."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.sales.credit import customer_dunning_hold
from models.receivables.ledger import Account, LedgerLine
from tests import factories
from tests.support.clock import moment
from tests.support.collection import (
    charges,
    customer_pays,
    invoice_in_collection,
    steps,
    task_of,
)
from tests.support.receivables import current
from tests.support.workflows import Flow
from workflows.search_attributes import DUNNING_LEVEL

D = Decimal


def _hold(engine: Engine, customer_id: int) -> bool:
    with Session(engine) as session:
        return customer_dunning_hold(session, customer_id)


async def test_ladder_climbs_reminder_then_each_level_with_its_fee_and_interest(
    flow: Flow, sqlite_engine: Engine, collections_team: None
) -> None:
    invoice, handle = await invoice_in_collection(flow, due_in_days=20)
    due, customer_id = invoice.due_date, invoice.customer_id

    await flow.sleep_until(moment(due, -3, hours=-2))
    assert steps(sqlite_engine, invoice) == []
    await flow.sleep_until(moment(due, -3))
    assert steps(sqlite_engine, invoice) == [(0, 0, D("0.00"), D("0.00"))]

    await flow.sleep_until(moment(due, 10))
    # Level 1: fee 5.00; interest 1000 x 10 % x 10 / 365 = 2.7397 -> 2.74
    assert steps(sqlite_engine, invoice)[1] == (1, 10, D("5.00"), D("2.74"))
    assert current(sqlite_engine, invoice.id).status == "overdue"
    assert current(sqlite_engine, invoice.id).dunning_level == 1
    assert not _hold(sqlite_engine, customer_id)

    await flow.sleep_until(moment(due, 30))
    # Level 2: fee 2 % of 1000 = 20.00; interest for the 20 days since: 5.479 -> 5.48
    assert steps(sqlite_engine, invoice)[2] == (2, 30, D("20.00"), D("5.48"))
    assert _hold(sqlite_engine, customer_id)
    # ...so the credit gate holds the customer's next order, saying why.
    factories.product(sqlite_engine, sku="HELD", price="1.00", stock=1)
    held = factories.order(sqlite_engine, customer_id, sku="HELD")
    assert held.status == "credit_hold"

    await flow.sleep_until(moment(due, 60))
    # Level 3: fee 25.00; interest 1000 x 12 % x 30 / 365 = 9.863 -> 9.86
    assert steps(sqlite_engine, invoice)[3] == (3, 60, D("25.00"), D("9.86"))
    described = await handle.describe()
    assert described.typed_search_attributes.get(DUNNING_LEVEL) == 3

    # Each fee and interest is an open item of its own, posted Dr receivables / Cr income.
    assert charges(sqlite_engine, invoice) == [
        ("fee", D("5.00"), D("5.00")),
        ("interest", D("2.74"), D("2.74")),
        ("fee", D("20.00"), D("20.00")),
        ("interest", D("5.48"), D("5.48")),
        ("fee", D("25.00"), D("25.00")),
        ("interest", D("9.86"), D("9.86")),
    ]
    with Session(sqlite_engine) as session:
        lines = session.exec(select(LedgerLine)).all()
    income = {Account.FEE_INCOME: D(0), Account.INTEREST_INCOME: D(0)}
    for line in lines:
        if line.account in income:
            income[line.account] += line.credit
    assert income == {Account.FEE_INCOME: D("50.00"), Account.INTEREST_INCOME: D("18.08")}
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)


async def test_full_payment_stops_the_ladder_and_charges_stay_owed(
    flow: Flow, sqlite_engine: Engine
) -> None:
    invoice, handle = await invoice_in_collection(flow)
    await flow.sleep_until(moment(invoice.due_date, 10))
    assert [s[0] for s in steps(sqlite_engine, invoice)] == [0, 1]

    await customer_pays(flow, invoice, "1000.00")
    assert (await handle.result()).outcome == "paid"
    await flow.env.sleep(timedelta(days=60))
    assert [s[0] for s in steps(sqlite_engine, invoice)] == [0, 1]
    assert [c[2] for c in charges(sqlite_engine, invoice)] == [D("5.00"), D("2.74")]
    assert not _hold(sqlite_engine, invoice.customer_id)


async def test_partial_payment_keeps_the_ladder_running_on_the_rest(
    flow: Flow, sqlite_engine: Engine
) -> None:
    invoice, _ = await invoice_in_collection(flow)
    await flow.sleep_until(moment(invoice.due_date, 12))
    await customer_pays(flow, invoice, "600.00")

    await flow.sleep_until(moment(invoice.due_date, 30))
    # On the 400.00 left: fee 2 % = 8.00; interest 400 x 10 % x 20 / 365 = 2.19
    assert steps(sqlite_engine, invoice)[2] == (2, 30, D("8.00"), D("2.19"))
    assert current(sqlite_engine, invoice.id).outstanding == D("400.00")


async def test_nobody_is_dunned_below_the_minimum_outstanding(
    flow: Flow, sqlite_engine: Engine
) -> None:
    invoice, _ = await invoice_in_collection(flow, total="4.99")
    await flow.sleep_until(moment(invoice.due_date, 61))
    assert steps(sqlite_engine, invoice) == []
    assert charges(sqlite_engine, invoice) == []
    assert task_of(sqlite_engine, invoice) is None
