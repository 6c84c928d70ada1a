"""Payments: allocation as asked or oldest due first, credit kept, bad input refused with
nothing posted, reversal reopening invoices and resuming their collection."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.receivables.payments import reverse_payment
from activities.receivables.unapplied_credit import apply_credit
from models.errors import Conflict, InvalidInput
from models.outbox import OutboxKind
from models.receivables.ledger import Account, LedgerLine
from models.receivables.payments import CreditApplication, PaymentReverse
from tests import factories
from tests.support.database import outbox, rows
from tests.support.receivables import balance, credit_of, current


def test_payment_settles_the_oldest_due_invoice_first(engine: Engine) -> None:
    customer = factories.customer(engine)
    newer = factories.invoice(engine, customer.id, issued=date(2026, 2, 1))
    older = factories.invoice(engine, customer.id, issued=date(2026, 1, 1))
    paid = factories.payment(engine, customer.id, "150.00")
    assert [(a.invoice_id, a.amount) for a in paid.allocations] == [
        (older.id, Decimal("110.00")),
        (newer.id, Decimal("40.00")),
    ]
    assert paid.unapplied == 0
    assert current(engine, older.id).status == "paid"
    assert current(engine, newer.id).outstanding == Decimal("70.00")


def test_oldest_due_first_counts_each_instalment_by_its_own_due_date(engine: Engine) -> None:
    customer = factories.customer(engine, instalment_plan="50@10,50@90")
    split = factories.invoice(
        engine, customer.id, price="100.00", tax_rate="0", issued=date(2026, 1, 1)
    )
    factories_net = factories.invoice(
        engine, customer.id, price="100.00", tax_rate="0", issued=date(2026, 1, 5)
    )
    # split's first half is due Jan 11, the other invoice's first half Jan 15, split's rest Apr 1
    paid = factories.payment(engine, customer.id, "100.00")
    assert [(a.invoice_id, a.amount) for a in paid.allocations] == [
        (split.id, Decimal("50.00")),
        (factories_net.id, Decimal("50.00")),
    ]


def test_explicit_allocations_are_followed_and_the_rest_is_credit(engine: Engine) -> None:
    customer = factories.customer(engine)
    older = factories.invoice(engine, customer.id, issued=date(2026, 1, 1))
    newer = factories.invoice(engine, customer.id, issued=date(2026, 2, 1))
    paid = factories.payment(
        engine,
        customer.id,
        "100.00",
        allocations={newer.id: "60.00"},
    )
    assert [(a.invoice_id, a.amount) for a in paid.allocations] == [(newer.id, Decimal("60.00"))]
    assert paid.unapplied == Decimal("40.00")
    assert current(engine, older.id).outstanding == Decimal("110.00")
    assert credit_of(engine, customer.id) == Decimal("40.00")


def test_overpayment_is_accepted_and_kept_as_credit(engine: Engine) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    paid = factories.payment(engine, customer.id, "500.00")
    assert paid.unapplied == Decimal("390.00")
    assert current(engine, issued.id).status == "paid"
    assert balance(engine, Account.CUSTOMER_CREDIT) == Decimal("-390.00")


def test_unapplied_credit_is_applied_to_a_later_invoice(engine: Engine) -> None:
    customer = factories.customer(engine)
    factories.payment(engine, customer.id, "50.00")
    later = factories.invoice(engine, customer.id)
    with Session(engine) as session, session.begin():
        applied = apply_credit(
            session,
            customer.id,
            CreditApplication(invoice_id=later.id),
            "finance",
            date(2026, 3, 1),
        )
    assert (applied.applied, applied.unapplied_credit) == (Decimal("50.00"), Decimal("0.00"))
    assert current(engine, later.id).outstanding == Decimal("60.00")
    assert balance(engine, Account.CUSTOMER_CREDIT) == 0
    assert balance(engine, Account.RECEIVABLES) == Decimal("60.00")


def _refused(engine: Engine, error: type[Exception], match: str, customer_id: int, **kw) -> None:  # type: ignore[no-untyped-def]
    lines_before = rows(engine, LedgerLine)
    with pytest.raises(error, match=match):
        factories.payment(engine, customer_id, kw.pop("amount", "100.00"), **kw)
    assert rows(engine, LedgerLine) == lines_before


def test_allocation_to_another_customers_invoice_is_refused(engine: Engine) -> None:
    ours = factories.customer(engine)
    theirs = factories.customer(engine, code="OTHER")
    foreign = factories.invoice(engine, theirs.id)
    allocations = {foreign.id: "10.00"}
    _refused(engine, InvalidInput, "another customer", ours.id, allocations=allocations)
    assert current(engine, foreign.id).outstanding == Decimal("110.00")


def test_allocations_above_the_payment_are_refused(engine: Engine) -> None:
    customer = factories.customer(engine)
    one, two = factories.invoice(engine, customer.id), factories.invoice(engine, customer.id)
    allocations = {one.id: "60.00", two.id: "60.00"}
    _refused(engine, InvalidInput, "more than the payment", customer.id, allocations=allocations)


def test_allocation_above_an_invoices_outstanding_is_refused(engine: Engine) -> None:
    customer = factories.customer(engine)
    one = factories.invoice(engine, customer.id)
    allocations = {one.id: "110.01"}
    _refused(
        engine,
        InvalidInput,
        "more than the 110.00 outstanding",
        customer.id,
        amount="200.00",
        allocations=allocations,
    )


def test_payment_in_another_currency_is_refused(engine: Engine) -> None:
    customer = factories.customer(engine)
    factories.invoice(engine, customer.id)
    _refused(engine, InvalidInput, "billed in USD", customer.id, currency="EUR")


def test_paying_a_paid_invoice_is_a_conflict(engine: Engine) -> None:
    customer = factories.customer(engine)
    one = factories.invoice(engine, customer.id)
    factories.payment(engine, customer.id, "110.00")
    allocations = {one.id: "1.00"}
    _refused(engine, Conflict, "is paid", customer.id, allocations=allocations)


def test_small_difference_is_written_off_with_the_payment(engine: Engine) -> None:
    customer = factories.customer(engine)
    one = factories.invoice(engine, customer.id)
    paid = factories.payment(engine, customer.id, "108.00", write_off_difference=True)
    assert [(w.invoice_id, w.amount) for w in paid.written_off] == [(one.id, Decimal("2.00"))]
    after = current(engine, one.id)
    assert (after.status, after.paid, after.written_off) == ("paid", Decimal("108.00"), 2)
    assert balance(engine, Account.BAD_DEBT) == Decimal("2.00")


def test_difference_above_the_tolerance_is_refused_and_nothing_posted(engine: Engine) -> None:
    customer = factories.customer(engine)
    one = factories.invoice(engine, customer.id)
    _refused(engine, InvalidInput, "more than the 5.00", customer.id, write_off_difference=True)
    assert current(engine, one.id).outstanding == Decimal("110.00")


def _reverse(engine: Engine, payment_id: int) -> None:
    with Session(engine) as session, session.begin():
        reverse_payment(
            session, payment_id, PaymentReverse(reason="bounced"), "finance", date(2026, 2, 10)
        )


def test_reversed_payment_reopens_its_invoices_and_restarts_their_collection(
    engine: Engine,
) -> None:
    customer = factories.customer(engine)
    one = factories.invoice(engine, customer.id)
    two = factories.invoice(engine, customer.id)
    paid = factories.payment(engine, customer.id, "150.00")
    assert current(engine, one.id).status == "paid"
    _reverse(engine, paid.id)

    assert (current(engine, one.id).status, current(engine, one.id).outstanding) == (
        "open",
        Decimal("110.00"),
    )
    assert current(engine, two.id).outstanding == Decimal("110.00")
    assert balance(engine, Account.CASH) == 0
    assert balance(engine, Account.RECEIVABLES) == Decimal("220.00")
    # The paid invoice's collection had ended: it is started again, then told.
    kinds = [(m.kind, m.name) for m in outbox(engine, f"invoice-{one.id}")]
    assert kinds[-2:] == [
        (OutboxKind.START_WORKFLOW, "InvoiceCollectionWorkflow"),
        (OutboxKind.SIGNAL, "settlement"),
    ]
    # The partly paid one is still in collection: it is only told.
    assert [m.kind for m in outbox(engine, f"invoice-{two.id}")] == [OutboxKind.SIGNAL] * 2


def test_reversal_takes_back_the_credit_the_payment_left(engine: Engine) -> None:
    customer = factories.customer(engine)
    factories.invoice(engine, customer.id)
    paid = factories.payment(engine, customer.id, "200.00")
    _reverse(engine, paid.id)
    assert credit_of(engine, customer.id) == 0
    assert balance(engine, Account.CUSTOMER_CREDIT) == 0


def test_a_payment_is_reversed_only_once(engine: Engine) -> None:
    customer = factories.customer(engine)
    paid = factories.payment(engine, customer.id, "10.00")
    _reverse(engine, paid.id)
    with pytest.raises(Conflict, match="already reversed"):
        _reverse(engine, paid.id)


def test_bounced_payment_also_brings_back_the_difference_written_off_with_it(
    engine: Engine,
) -> None:
    customer = factories.customer(engine)
    one = factories.invoice(engine, customer.id)
    paid = factories.payment(engine, customer.id, "108.00", write_off_difference=True)
    _reverse(engine, paid.id)
    after = current(engine, one.id)
    assert (after.outstanding, after.written_off, after.status) == (110, 0, "open")
    assert balance(engine, Account.BAD_DEBT) == 0
    assert balance(engine, Account.RECEIVABLES) == Decimal("110.00")
