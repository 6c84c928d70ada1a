"""Credit notes against one invoice: by amount or lines, excess as credit, never above the total."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.receivables.credit_notes import issue_credit_note
from models.errors import InvalidInput
from models.receivables.credit_notes import CreditLineRequest, CreditNotePublic
from models.receivables.ledger import Account, LedgerLine
from tests import factories
from tests.support.database import outbox, rows
from tests.support.receivables import balance, credit_of, current


def _credit(engine: Engine, invoice_id: int, key: str = "cn-1", **kw) -> CreditNotePublic:  # type: ignore[no-untyped-def]
    with Session(engine) as session, session.begin():
        return issue_credit_note(
            session, invoice_id, reason="damaged", key=key, on=date(2026, 2, 5), **kw
        )


def test_credit_note_by_amount_reduces_outstanding_and_takes_back_tax(engine: Engine) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)  # 100.00 + 10.00 tax
    note = _credit(engine, issued.id, amount=Decimal("55.00"))
    assert (note.number, note.subtotal, note.tax, note.applied, note.unapplied) == (
        "CN-2026-000001",
        Decimal("50.00"),
        Decimal("5.00"),
        Decimal("55.00"),
        Decimal("0.00"),
    )
    after = current(engine, issued.id)
    assert (after.credited, after.outstanding, after.status) == (55, 55, "partially_paid")
    assert balance(engine, Account.REVENUE) == Decimal("-50.00")
    assert balance(engine, Account.TAX_PAYABLE) == Decimal("-5.00")
    assert [m.name for m in outbox(engine, f"invoice-{issued.id}")] == ["settlement"]


def test_credit_note_by_lines_credits_the_invoiced_price(engine: Engine) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id, price="19.99", quantity="3")  # 59.97 + 6.00
    line = issued.lines[0].id
    note = _credit(engine, issued.id, lines=[CreditLineRequest(invoice_line_id=line, quantity=1)])
    assert (note.subtotal, note.tax, note.total) == (
        Decimal("19.99"),
        Decimal("2.00"),
        Decimal("21.99"),
    )
    with pytest.raises(InvalidInput, match="more than the 3.000 invoiced"):
        _credit(
            engine, issued.id, "cn-2", lines=[CreditLineRequest(invoice_line_id=line, quantity=3)]
        )


def test_credit_note_on_a_partly_paid_invoice_turns_the_excess_into_credit(engine: Engine) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    factories.payment(engine, customer.id, "80.00")
    note = _credit(engine, issued.id, amount=Decimal("50.00"))
    assert (note.applied, note.unapplied) == (Decimal("30.00"), Decimal("20.00"))
    after = current(engine, issued.id)
    assert (after.outstanding, after.status) == (0, "paid")
    assert credit_of(engine, customer.id) == Decimal("20.00")
    assert balance(engine, Account.CUSTOMER_CREDIT) == Decimal("-20.00")


def test_credit_notes_above_the_invoice_total_are_refused_and_nothing_posted(
    engine: Engine,
) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    _credit(engine, issued.id, amount=Decimal("100.00"))
    lines_before = rows(engine, LedgerLine)
    with pytest.raises(InvalidInput, match="exceed the invoice total 110.00"):
        _credit(engine, issued.id, "cn-2", amount=Decimal("10.01"))
    assert rows(engine, LedgerLine) == lines_before
    assert current(engine, issued.id).credited == Decimal("100.00")


def test_credit_note_is_issued_once_per_key(engine: Engine) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    first = _credit(engine, issued.id, amount=Decimal("10.00"))
    again = _credit(engine, issued.id, amount=Decimal("10.00"))
    assert first.id == again.id
    assert current(engine, issued.id).credited == Decimal("10.00")
