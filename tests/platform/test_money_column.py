"""Money is stored exactly and summed exactly in SQL, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.receivables.ledger import Account, LedgerEntry, LedgerLine


def test_amounts_round_trip_and_sum_exactly(engine: Engine) -> None:
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("1234567890.99"), Decimal("-0.30")]
    with Session(engine) as session, session.begin():
        entry = LedgerEntry(
            key="k", posted_on=datetime.now(UTC).date(), document="t", document_id=1
        )
        session.add(entry)
        session.flush()
        for amount in amounts:
            session.add(
                LedgerLine(
                    entry_id=entry.id or 0,
                    account=Account.CASH,
                    debit=amount,
                    posted_on=entry.posted_on,
                )
            )
    with Session(engine) as session:
        stored = session.exec(select(LedgerLine.debit).order_by(LedgerLine.id)).all()
        total = session.exec(select(func.sum(LedgerLine.debit))).one()
    assert stored == amounts
    assert isinstance(total, Decimal)
    assert total == sum(amounts, Decimal(0)) == Decimal("1234567890.99")
