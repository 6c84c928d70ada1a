"""The day a settled invoice counts as paid, kept on the invoice by every posting that moves what
is owed (payments, credit applied, credit notes, write-offs, a bounced payment), is the one the
credit behaviour's payment days read: the same record as the pure `payment_record` of the
invoices, each settled on its last payment allocation (or on time when none paid it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.credit.behaviour import behaviours
from activities.receivables.credit_notes import issue_credit_note
from activities.receivables.payments import reverse_payment
from activities.receivables.unapplied_credit import apply_credit
from activities.receivables.write_offs import write_off_invoice
from models.credit.payment_days import payment_record
from models.receivables.invoices import Invoice
from models.receivables.payments import CreditApplication, PaymentPublic, PaymentReverse
from models.receivables.write_offs import WriteOffCreate
from tests import factories
from tests.credit.test_behaviour_bulk_and_single import (
    AS_OF,
    _payments_of,
    payment_days,
    record_days,
)


def _settled_on(engine: Engine, invoice_id: int) -> date | None:
    with Session(engine) as session:
        return session.exec(select(Invoice.settled_on).where(Invoice.id == invoice_id)).one()


def _pay(
    engine: Engine, customer_id: int, amount: str, on: date, invoice_id: int, **options: Any
) -> PaymentPublic:
    """A payment of `amount` received `on`, all of it allocated to the invoice."""
    return factories.payment(
        engine, customer_id, amount, received_on=on, allocations={invoice_id: amount}, **options
    )


def test_each_posting_keeps_the_day_an_invoice_counts_as_paid(engine: Engine) -> None:
    customer = factories.customer(engine, "SETTLES", credit_limit="5000.00")
    invoice = {
        name: factories.invoice(engine, customer.id, due=due).id  # 110.00 each, tax included
        for name, due in (
            ("twice", date(2026, 3, 1)),
            ("credited", date(2026, 4, 1)),
            ("written_off", date(2026, 4, 15)),
            ("bounced", date(2026, 5, 1)),
            ("short", date(2026, 5, 15)),
            ("from_credit", date(2026, 6, 1)),
            ("open", date(2026, 6, 20)),
        )
    }

    # Paid in two parts: settled on the second.
    _pay(engine, customer.id, "50.00", date(2026, 3, 5), invoice["twice"])
    assert _settled_on(engine, invoice["twice"]) is None
    _pay(engine, customer.id, "60.00", date(2026, 3, 20), invoice["twice"])
    # Partly paid, the rest credited later: paid on its payment, not on the credit note.
    _pay(engine, customer.id, "60.00", date(2026, 4, 10), invoice["credited"])
    with Session(engine) as session, session.begin():
        issue_credit_note(
            session,
            invoice["credited"],
            reason="damaged",
            key="cn-settles",
            on=date(2026, 5, 20),
            amount=Decimal("50.00"),
        )
    # Written off whole: settled with no payment (on time, for the payment days).
    with Session(engine) as session, session.begin():
        write_off_invoice(
            session,
            invoice["written_off"],
            WriteOffCreate(reason="gone"),
            "finance",
            date(2026, 6, 5),
            "wo-settles",
        )
    # Paid, then the payment bounced: open again.
    bounced = _pay(engine, customer.id, "110.00", date(2026, 5, 20), invoice["bounced"])
    assert _settled_on(engine, invoice["bounced"]) == date(2026, 5, 20)
    with Session(engine) as session, session.begin():
        reverse_payment(
            session, bounced.id, PaymentReverse(reason="bounced"), "finance", date(2026, 6, 2)
        )
    # Paid 2.00 short, the difference written off with the payment.
    _pay(
        engine,
        customer.id,
        "108.00",
        date(2026, 5, 25),
        invoice["short"],
        write_off_difference=True,
    )
    # Settled by credit the customer had with us, applied later.
    factories.payment(engine, customer.id, "110.00", received_on=date(2026, 6, 8), allocations={})
    with Session(engine) as session, session.begin():
        apply_credit(
            session,
            customer.id,
            CreditApplication(invoice_id=invoice["from_credit"], on=date(2026, 6, 10)),
            "finance",
            date(2026, 6, 10),
        )

    assert {name: _settled_on(engine, invoice_id) for name, invoice_id in invoice.items()} == {
        "twice": date(2026, 3, 20),
        "credited": date(2026, 4, 10),
        "written_off": None,
        "bounced": None,
        "short": date(2026, 5, 25),
        "from_credit": date(2026, 6, 10),
        "open": None,
    }
    with Session(engine) as session:
        seen = behaviours(session, AS_OF)[customer.id]
        alone = behaviours(session, AS_OF, [customer.id])[customer.id]
        record = payment_record(_payments_of(session, customer.id), AS_OF)
    assert alone.model_dump() == seen.model_dump()
    assert payment_days(seen) == record_days(record)
    # twice 19 days late, credited 9, bounced open again (60 days), short 10, from_credit 9,
    # open 10 so far, written off 0.
    assert (seen.invoices_due, seen.average_days_beyond_terms) == (7, Decimal("16.7"))
