"""Write-offs: small ones at once, large ones after a finance approver, never of a paid invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.receivables.write_offs import decide_write_off, write_off_invoice
from models.errors import Conflict, InvalidInput
from models.receivables.ledger import Account, LedgerLine
from models.receivables.write_offs import WriteOffCreate, WriteOffPublic
from models.sales.messages import WriteOffDecision
from tests import factories
from tests.support.database import rows
from tests.support.receivables import balance, current


def _write_off(engine: Engine, invoice_id: int, key: str = "wo-1", **kw) -> WriteOffPublic:  # type: ignore[no-untyped-def]
    with Session(engine) as session, session.begin():
        return write_off_invoice(
            session,
            invoice_id,
            WriteOffCreate(reason="gone", **kw),
            "finance",
            date(2026, 5, 1),
            key,
        )


def test_small_write_off_is_posted_at_once_to_bad_debt(engine: Engine) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    factories.payment(engine, customer.id, "60.00")
    done = _write_off(engine, issued.id)
    assert (done.state, done.amount) == ("posted", Decimal("50.00"))
    after = current(engine, issued.id)
    assert (after.written_off, after.outstanding, after.status) == (50, 0, "paid")
    assert balance(engine, Account.BAD_DEBT) == Decimal("50.00")
    assert balance(engine, Account.RECEIVABLES) == 0


def test_write_off_of_a_never_paid_invoice_leaves_it_written_off(engine: Engine) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    _write_off(engine, issued.id)
    assert current(engine, issued.id).status == "written_off"


def test_large_write_off_waits_for_a_finance_approver(engine: Engine) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id, price="1000.00")
    waiting = _write_off(engine, issued.id)
    assert waiting.state == "pending_approval"
    assert current(engine, issued.id).written_off == 0
    assert balance(engine, Account.BAD_DEBT) == 0

    decision = WriteOffDecision(
        write_off_id=waiting.id,
        invoice_id=issued.id,
        requested_by="finance",
        user="controller",
        roles=["approver"],
    )
    with Session(engine) as session, session.begin():
        assert decide_write_off(session, decision).state == "posted"
    assert current(engine, issued.id).status == "written_off"
    assert balance(engine, Account.BAD_DEBT) == Decimal("1100.00")
    with Session(engine) as session, session.begin():  # a retried answer changes nothing
        decide_write_off(session, decision)
    assert balance(engine, Account.BAD_DEBT) == Decimal("1100.00")


def test_write_off_of_a_paid_invoice_is_a_conflict_and_posts_nothing(engine: Engine) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    factories.payment(engine, customer.id, "110.00")
    lines_before = rows(engine, LedgerLine)
    with pytest.raises(Conflict, match="is paid"):
        _write_off(engine, issued.id)
    assert rows(engine, LedgerLine) == lines_before


def test_write_off_above_what_is_open_is_refused(engine: Engine) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    with pytest.raises(InvalidInput, match="more than the 110.00 open"):
        _write_off(engine, issued.id, amount=Decimal("110.01"))
