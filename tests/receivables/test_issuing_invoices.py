"""Issuing invoices: numbers, due dates from payment terms, instalments, the ledger entry."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.master_data.customers import update_customer
from activities.receivables.invoices import issue_for_order, issue_for_shipment, mark_overdue
from models.master_data.customers import CustomerUpdate
from models.receivables.ledger import Account
from models.sales.messages import IssueInvoiceInput
from tests import factories
from tests.support.receivables import balance, current


def test_invoice_numbers_run_per_year_without_gaps(engine: Engine) -> None:
    customer = factories.customer(engine)
    numbers = [factories.invoice(engine, customer.id).number for _ in range(3)]
    numbers.append(factories.invoice(engine, customer.id, issued=date(2027, 1, 2)).number)
    assert numbers == ["INV-2026-000001", "INV-2026-000002", "INV-2026-000003", "INV-2027-000001"]


def test_net_terms_make_one_due_date(engine: Engine) -> None:
    customer = factories.customer(engine, payment_terms_days=14)
    issued = factories.invoice(engine, customer.id, price="100.00", issued=date(2026, 1, 1))
    assert issued.due_date == date(2026, 1, 15)
    assert [(i.due_date, i.amount) for i in issued.instalments] == [
        (date(2026, 1, 15), Decimal("110.00"))
    ]


def test_instalment_terms_give_each_instalment_its_due_date_and_amount(engine: Engine) -> None:
    customer = factories.customer(engine, instalment_plan="30@30,50@60,20@90")
    issued = factories.invoice(
        engine, customer.id, price="33.34", issued=date(2026, 1, 1)
    )  # 36.67 total
    assert issued.total == Decimal("36.67")
    assert [(i.due_date, i.amount, i.outstanding) for i in issued.instalments] == [
        (date(2026, 1, 31), Decimal("11.00"), Decimal("11.00")),
        (date(2026, 3, 2), Decimal("18.34"), Decimal("18.34")),
        (date(2026, 4, 1), Decimal("7.33"), Decimal("7.33")),
    ]
    assert issued.due_date == date(2026, 1, 31)  # the first instalment's


def test_partial_payment_settles_the_earliest_instalment_first(engine: Engine) -> None:
    customer = factories.customer(engine, instalment_plan="30@30,50@60,20@90")
    issued = factories.invoice(engine, customer.id, price="100.00", tax_rate="0")
    factories.payment(engine, customer.id, "40.00")
    after = current(engine, issued.id)
    assert [i.outstanding for i in after.instalments] == [
        Decimal("0.00"),
        Decimal("40.00"),
        Decimal("20.00"),
    ]
    assert (after.status, after.outstanding) == ("partially_paid", Decimal("60.00"))


def test_invoice_is_overdue_only_when_an_instalment_that_fell_due_is_open(engine: Engine) -> None:
    customer = factories.customer(engine, instalment_plan="50@30,50@60")
    issued = factories.invoice(
        engine, customer.id, price="100.00", tax_rate="0", issued=date(2026, 1, 1)
    )
    factories.payment(engine, customer.id, "50.00")
    with Session(engine) as session, session.begin():
        assert mark_overdue(session, issued.id, date(2026, 2, 15)).status == "partially_paid"
    with Session(engine) as session, session.begin():
        assert mark_overdue(session, issued.id, date(2026, 3, 3)).status == "overdue"


def test_issuing_posts_receivables_against_revenue_and_tax(engine: Engine) -> None:
    customer = factories.customer(engine)
    factories.invoice(engine, customer.id, price="100.00", tax_rate="0.05")
    assert balance(engine, Account.RECEIVABLES) == Decimal("105.00")
    assert balance(engine, Account.REVENUE) == Decimal("-100.00")
    assert balance(engine, Account.TAX_PAYABLE) == Decimal("-5.00")


@pytest.mark.parametrize("policy", ["on_order", "on_shipment"])
def test_order_invoice_bills_ordered_or_shipped_quantities_once(
    engine: Engine, policy: str
) -> None:
    customer = factories.customer(engine)
    factories.product(engine, stock=2)
    order = factories.order(engine, customer.id, quantity=2)
    with Session(engine) as session, session.begin():
        update_customer(session, customer.id, CustomerUpdate(invoice_policy=policy))
    shipment_id = factories.plan(engine, order.id, datetime(2026, 11, 28, tzinfo=UTC)).shipments[0]
    data = IssueInvoiceInput(
        order_id=order.id,
        shipment_id=None if policy == "on_order" else shipment_id,
        issue_date=date(2026, 11, 28),
    )
    issue = issue_for_order if policy == "on_order" else issue_for_shipment
    with Session(engine) as session, session.begin():
        first = issue(session, data, "Seller")
    with Session(engine) as session, session.begin():
        again = issue(session, data, "Seller")
    assert first.invoice_id == again.invoice_id
    # A retry hands back the same queued mail; delivery sends each mail once.
    assert first.email_outbox_id is not None
    assert again.email_outbox_id == first.email_outbox_id
    billed = current(engine, first.invoice_id)
    assert billed.lines[0].quantity == Decimal(2)
    assert billed.total == order.total == Decimal("22.00")
