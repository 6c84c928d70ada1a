"""Posting to the double-entry ledger: balanced, in the caller's transaction, once per key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.base import utcnow
from models.errors import InvalidInput
from models.money import ZERO
from models.receivables.ledger import (
    Account,
    AccountBalance,
    LedgerEntry,
    LedgerLine,
    Line,
    TrialBalance,
    is_balanced,
)


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


def trial_balance(session: Session, as_of: date) -> TrialBalance:
    """Every account's debits and credits posted up to and including `as_of`, summed in SQL."""
    rows = session.exec(
        select(LedgerLine.account, func.sum(LedgerLine.debit), func.sum(LedgerLine.credit))
        .where(col(LedgerLine.posted_on) <= as_of)
        .group_by(col(LedgerLine.account))
        .order_by(col(LedgerLine.account))
    ).all()
    accounts = [
        AccountBalance(
            account=Account(account),
            debit=Decimal(debits or 0),
            credit=Decimal(credits or 0),
            balance=Decimal(debits or 0) - Decimal(credits or 0),
        )
        for account, debits, credits in rows
    ]
    total_debit = sum((a.debit for a in accounts), ZERO)
    total_credit = sum((a.credit for a in accounts), ZERO)
    return TrialBalance(
        as_of=as_of,
        accounts=accounts,
        total_debit=total_debit,
        total_credit=total_credit,
        balanced=total_debit == total_credit,
    )


def account_balance(session: Session, account: Account, as_of: date | None = None) -> Decimal:
    """Debit minus credit of one account (receivables control, customer credit, ...)."""
    query = select(func.sum(LedgerLine.debit) - func.sum(LedgerLine.credit)).where(
        LedgerLine.account == account
    )
    if as_of is not None:
        query = query.where(col(LedgerLine.posted_on) <= as_of)
    value = session.exec(query).one()
    return Decimal(value) if value is not None else ZERO


# Core tables for post_many: the ORM's bulk insert of a list runs one statement a row here.
ENTRIES = LedgerEntry.__table__  # type: ignore[attr-defined]
LINES = LedgerLine.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Posting:
    """One entry of a batch for `post_many`: what `post` takes, as a value."""

    key: str
    posted_on: date
    document: str
    document_id: int
    customer_id: int | None
    lines: list[Line]
    memo: str | None = None


def post_many(session: Session, postings: list[Posting]) -> int:
    """Many entries in two INSERTs (entries, then their lines), for imports of thousands of
    documents: each balanced, each once per key (keys already posted are left as they are).
    Returns how many were posted now."""
    for posting in postings:
        if not is_balanced(posting.lines):
            raise InvalidInput(f"posting {posting.key} does not balance")
    keys = [p.key for p in postings]
    done = set(session.exec(select(LedgerEntry.key).where(col(LedgerEntry.key).in_(keys))).all())
    fresh = [p for p in postings if p.key not in done]
    if not fresh:
        return 0
    now = utcnow()
    session.connection().execute(
        ENTRIES.insert(),
        [
            {
                "key": p.key,
                "posted_on": p.posted_on,
                "document": p.document,
                "document_id": p.document_id,
                "customer_id": p.customer_id,
                "memo": p.memo,
                "created_at": now,
            }
            for p in fresh
        ],
    )
    # The ids by key: RETURNING with the rows' order kept makes SQLite insert one at a time.
    query = select(LedgerEntry.key, LedgerEntry.id).where(
        col(LedgerEntry.key).in_([p.key for p in fresh])
    )
    by_key = dict(session.exec(query).all())
    ids = [by_key[p.key] for p in fresh]
    session.connection().execute(
        LINES.insert(),
        [
            {
                "entry_id": entry_id,
                "account": line.account,
                "debit": line.debit,
                "credit": line.credit,
                "invoice_id": line.invoice_id,
                "posted_on": p.posted_on,
            }
            for entry_id, p in zip(ids, fresh, strict=True)
            for line in p.lines
            if line.debit or line.credit
        ],
    )
    return len(fresh)
