"""Collection effectiveness index (CEI) per currency over the last `days` days:

    (receivables at the start + charges in the period - receivables at the end)
    / (receivables at the start + charges in the period - current receivables at the end)

The ledger says receivables at the end = at the start + charges - reductions, so the top is what
the period took off receivables (payments, credit notes, write-offs: their receivable credits)
and the bottom that plus what is overdue at the end. So it reads only the period's postings and
the end's overdue amount (from the ageing report), never the whole history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select, text, type_coerce
from sqlmodel import Session, col

from models.columns import MoneyColumn
from models.money import ZERO, quantize
from models.receivables.invoices import Invoice
from models.receivables.ledger import RECEIVABLE_LINE, LedgerLine
from models.reports.ageing import AgeingReport


class CollectionEffectiveness(NamedTuple):
    currency: str
    collected: Decimal  # receivables reduced in the period
    overdue: Decimal  # past due at the period's end
    index_pct: Decimal | None  # None when there was nothing to collect


def effectiveness(collected: Decimal, overdue: Decimal) -> Decimal | None:
    collectible = collected + overdue
    return (collected / collectible * 100).quantize(Decimal("0.1")) if collectible else None


def collection_effectiveness(
    session: Session, ageing: AgeingReport, days: int
) -> list[CollectionEffectiveness]:
    """CEI for the `days` days up to the ageing report's date, per currency."""
    end = ageing.as_of
    reduced = dict(
        session.execute(
            select(
                col(Invoice.currency), type_coerce(func.sum(col(LedgerLine.credit)), MoneyColumn())
            )
            .select_from(LedgerLine)
            .join(Invoice, col(Invoice.id) == col(LedgerLine.invoice_id))
            .where(text(RECEIVABLE_LINE))
            .where(col(LedgerLine.posted_on) > end - timedelta(days=days))
            .where(col(LedgerLine.posted_on) <= end)
            .group_by(col(Invoice.currency))
        ).all()
    )
    overdue = {t.currency: t.total - t.not_due for t in ageing.totals}
    figures = []
    for currency in sorted(set(reduced) | set(overdue)):
        collected = quantize(reduced.get(currency) or ZERO, currency)
        late = overdue.get(currency, ZERO)
        figures.append(
            CollectionEffectiveness(currency, collected, late, effectiveness(collected, late))
        )
    return figures
