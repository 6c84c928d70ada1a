"""Days beyond terms: how late each invoice due in the window was paid (or, still open, how late
it is so far), averaged plainly and weighted by amount, with the share paid late and the trend of
the last 3 months against the 9 before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel

WINDOW = timedelta(days=365)
RECENT = timedelta(days=91)
MONTH = timedelta(days=30)
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class InvoicePayment:
    due_date: date
    total: Decimal
    settled_on: date | None  # None while something is still owed

    def days_beyond_terms(self, as_of: date) -> int:
        paid = self.settled_on if self.settled_on is not None else as_of
        return max(0, (paid - self.due_date).days)


class PaymentRecord(BaseModel):
    invoices_due: int = 0
    average_days: Decimal | None = None
    weighted_days: Decimal | None = None
    late_share: Decimal | None = None
    trend_days: Decimal | None = None
    month_days: Decimal | None = None  # weighted, invoices due in the last 30 days


def _weighted(invoices: list[InvoicePayment], as_of: date) -> Decimal | None:
    weight = sum((i.total for i in invoices), Decimal(0))
    if not invoices or weight <= 0:
        return None
    days = sum((i.total * i.days_beyond_terms(as_of) for i in invoices), Decimal(0))
    return (days / weight).quantize(ONE_PLACE)


def payment_record(invoices: list[InvoicePayment], as_of: date) -> PaymentRecord:
    """Over the invoices that fell due in the 12 months up to `as_of` (others are ignored)."""
    due = [i for i in invoices if as_of - WINDOW < i.due_date <= as_of]
    if not due:
        return PaymentRecord()
    days = [i.days_beyond_terms(as_of) for i in due]
    recent = [i for i in due if i.due_date > as_of - RECENT]
    earlier = [i for i in due if i.due_date <= as_of - RECENT]
    now, before = _weighted(recent, as_of), _weighted(earlier, as_of)
    return PaymentRecord(
        invoices_due=len(due),
        average_days=(Decimal(sum(days)) / len(due)).quantize(ONE_PLACE),
        weighted_days=_weighted(due, as_of),
        late_share=(Decimal(100) * sum(1 for d in days if d > 0) / len(due)).quantize(ONE_PLACE),
        trend_days=None if now is None or before is None else now - before,
        month_days=_weighted([i for i in due if i.due_date > as_of - MONTH], as_of),
    )


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal; None when there is no whole."""
    if whole <= 0:
        return None
    return (Decimal(100) * part / whole).quantize(ONE_PLACE)


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - (1 if end.day < start.day else 0))
