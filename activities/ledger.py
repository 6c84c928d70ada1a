"""Posting to the double-entry ledger: balanced, in the caller's transaction, once per key."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from models.errors import InvalidInput
from models.ledger import LedgerEntry, LedgerLine, Line, is_balanced


def post(
    session: Session,
    *,
    key: str,
    posted_on: date,
    document: str,
    document_id: int,
    customer_id: int | None,
    lines: list[Line],
    memo: str | None = None,
) -> LedgerEntry:
    existing = session.exec(select(LedgerEntry).where(LedgerEntry.key == key)).first()
    if existing is not None:
        return existing
    lines = [line for line in lines if line.debit or line.credit]
    if not is_balanced(lines):
        raise InvalidInput(f"posting {key} does not balance")
    entry = LedgerEntry(
        key=key,
        posted_on=posted_on,
        document=document,
        document_id=document_id,
        customer_id=customer_id,
        memo=memo,
    )
    session.add(entry)
    session.flush()
    assert entry.id is not None
    for line in lines:
        session.add(
            LedgerLine(
                entry_id=entry.id,
                account=line.account,
                debit=line.debit,
                credit=line.credit,
                invoice_id=line.invoice_id,
                posted_on=posted_on,
            )
        )
    return entry
