"""Nothing done twice: each order closed by the bench has one invoice, each invoice and each
payment one ledger entry, and each invoice's mail went out once."""

from __future__ import annotations

from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

from sqlmodel import Session, col, select

from models.receivables.invoices import Invoice
from models.receivables.ledger import LedgerEntry
from models.receivables.payments import Payment


def done_twice(session: Session, order_ids: list[int], mailbox: Path) -> list[str]:
    """What was done other than once; empty when nothing was."""
    invoices = session.exec(select(Invoice).where(col(Invoice.order_id).in_(order_ids))).all()
    problems = [
        f"order {order} has {count} invoices"
        for order, count in Counter(i.order_id for i in invoices).items()
        if count != 1
    ]
    problems += [
        f"order {o} has no invoice" for o in set(order_ids) - {i.order_id for i in invoices}
    ]
    entries = Counter(
        (e.document, e.document_id)
        for e in session.exec(
            select(LedgerEntry).where(col(LedgerEntry.document).in_(["invoice", "payment"]))
        ).all()
    )
    payments = session.exec(select(Payment.id)).all()
    posted = [("invoice", i.id or 0) for i in invoices] + [("payment", p or 0) for p in payments]
    problems += [
        f"{document} {number} has {entries[(document, number)]} ledger entries"
        for document, number in posted
        if entries[(document, number)] != 1
    ]
    subjects = [_subject(path) for path in sorted(mailbox.glob("*.eml"))]
    for invoice in invoices:
        mailed = sum(invoice.number in subject for subject in subjects)
        if mailed != 1:
            problems.append(f"invoice {invoice.number} was mailed {mailed} times")
    return problems


def _subject(path: Path) -> str:
    return str(message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"])
