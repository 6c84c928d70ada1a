"""A customer's row is locked only for a credit decision, never across slow work: a payment that
waits for its invoice (locked by another command) does not hold up an order of the same customer,
and an order entered while a payment is recorded still sees it or is released by it.
PostgreSQL, each command in a thread of its own with its own connection and transaction."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import select

from activities.receivables.invoice_balance import lock_invoice
from activities.receivables.payments import record_payment
from activities.transaction import run_command, transaction
from models.receivables.payments import AllocationRequest, PaymentCreate
from models.sales.orders import SalesOrder
from tests import factories
from tests.fixtures.databases import needs_postgresql
from tests.support.threads import at_once

pytestmark = needs_postgresql

# How long the command holding the invoice waits for the order: long enough for an order that is
# not held up; the assertion is on whether it came, not on how fast.
A_WHILE = 10.0


def _someone_waits_for_a_lock(engine: Engine) -> bool:
    with engine.connect() as conn:
        waiting = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()
    return bool(waiting)


def test_a_payment_waiting_for_its_invoice_does_not_hold_up_an_order_of_the_customer(
    pg_engine: Engine,
) -> None:
    customer = factories.customer(pg_engine, credit_limit="1000.00")
    factories.product(pg_engine, price="10.00")
    billed = factories.invoice(
        pg_engine, customer.id, "100.00", tax_rate="0", issued=factories.ORDER_DAY
    )
    invoice_held, order_entered = threading.Event(), threading.Event()
    order_came_in_time: list[bool] = []

    def another_command_on_the_invoice() -> None:
        with transaction(pg_engine) as session:
            lock_invoice(session, billed.id)
            invoice_held.set()
            order_came_in_time.append(order_entered.wait(A_WHILE))

    def payment() -> None:
        invoice_held.wait()
        data = PaymentCreate(
            customer_id=customer.id,
            amount=Decimal("100.00"),
            received_on=date(2026, 11, 20),
            reference="BANK-1",
            allocations=[AllocationRequest(invoice_id=billed.id, amount=Decimal("100.00"))],
        )
        run_command(pg_engine, record_payment, data, "finance")

    def order() -> str:
        invoice_held.wait()
        for _ in range(200):  # until the payment waits for the invoice
            if _someone_waits_for_a_lock(pg_engine):
                break
            threading.Event().wait(0.05)
        entered = factories.order(pg_engine, customer.id, quantity=2)
        order_entered.set()
        return entered.status

    _, _, status = at_once([another_command_on_the_invoice, payment, order])

    assert order_came_in_time == [True]
    assert status == "pending_approval"


def test_an_order_entered_while_a_payment_is_recorded_is_not_left_on_hold(
    pg_engine: Engine,
) -> None:
    for attempt in range(5):
        customer = factories.customer(pg_engine, code=f"PAY{attempt}", credit_limit="100.00")
        if attempt == 0:
            factories.product(pg_engine, price="10.00")  # 11.00 a unit with tax
        billed = factories.invoice(
            pg_engine, customer.id, "80.00", tax_rate="0", issued=factories.ORDER_DAY
        )
        # 44.00 over 80.00 open exceeds the 100.00 limit; once the 80.00 is paid it fits.
        at_once(
            [
                lambda c=customer.id, i=billed.id: factories.payment(
                    pg_engine, c, "80.00", allocations={i: "80.00"}
                ),
                lambda c=customer.id: factories.order(pg_engine, c, quantity=4),
            ]
        )
        with transaction(pg_engine) as session:
            statuses = session.exec(
                select(SalesOrder.status).where(SalesOrder.customer_id == customer.id)
            ).all()
            assert statuses == ["pending_approval"]
