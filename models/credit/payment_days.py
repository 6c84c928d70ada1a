"""Days beyond terms: how late each invoice due in the window was paid (or, still open, how late
it is so far), averaged plainly and weighted by amount, with the share paid late and the trend of
the last 3 months against the 9 before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import IntEnum
from typing import NamedTuple

WINDOW = timedelta(days=365)
RECENT = timedelta(days=91)
MONTH = timedelta(days=30)
ONE_PLACE = Decimal("0.1")
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class InvoicePayment:
    due_date: date
    total: Decimal
    settled_on: date | None  # None while something is still owed

    def days_beyond_terms(self, as_of: date) -> int:
        paid = self.settled_on if self.settled_on is not None else as_of
        return max(0, (paid - self.due_date).days)


class PaymentRecord(NamedTuple):
    """(A plain tuple: the monthly run makes one for every customer.)"""

    invoices_due: int = 0
    average_days: Decimal | None = None
    weighted_days: Decimal | None = None
    late_share: Decimal | None = None
    trend_days: Decimal | None = None
    month_days: Decimal | None = None  # weighted, invoices due in the last 30 days


@dataclass(slots=True)
class PaymentSums:
    """Sums over a set of invoices due: what the record is computed from (SQL sums the same)."""

    invoices: int = 0
    late: int = 0  # paid (or still open) after the due date
    days: int = 0
    weighted: Decimal = Decimal(0)  # sum of total x days beyond terms
    total: Decimal = Decimal(0)

    def __add__(self, other: PaymentSums) -> PaymentSums:
        return PaymentSums(
            self.invoices + other.invoices,
            self.late + other.late,
            self.days + other.days,
            self.weighted + other.weighted,
            self.total + other.total,
        )

    def __sub__(self, other: PaymentSums) -> PaymentSums:
        return PaymentSums(
            self.invoices - other.invoices,
            self.late - other.late,
            self.days - other.days,
            self.weighted - other.weighted,
            self.total - other.total,
        )

    def weighted_days(self) -> Decimal | None:
        return _weighted_days(self.invoices, self.weighted, self.total)


def _weighted_days(invoices: int, weighted: Decimal, total: Decimal) -> Decimal | None:
    if not invoices or total <= 0:
        return None
    return (weighted / total).quantize(ONE_PLACE)


class Period(IntEnum):
    """Where in the window an invoice fell due."""

    LAST_MONTH = 0  # the last 30 days
    REST_OF_RECENT = 1  # the rest of the last 3 months
    EARLIER = 2  # the 9 months before


def period_of(due_date: date, as_of: date) -> Period:
    if due_date > as_of - MONTH:
        return Period.LAST_MONTH
    if due_date > as_of - RECENT:
        return Period.REST_OF_RECENT
    return Period.EARLIER


def record_from(sums: dict[Period, PaymentSums]) -> PaymentRecord:
    month = sums.get(Period.LAST_MONTH, PaymentSums())
    recent = month + sums.get(Period.REST_OF_RECENT, PaymentSums())
    return record_of(recent + sums.get(Period.EARLIER, PaymentSums()), recent, month)


def record_of(every: PaymentSums, recent: PaymentSums, month: PaymentSums) -> PaymentRecord:
    """The record from the sums over every invoice due in the window, those due in the last 3
    months and those due in the last 30 days (each a part of the one before it; only `every`'s
    late count and days are read)."""
    return record_of_row(
        (every.invoices, every.late, every.days, every.weighted, every.total),
        (recent.invoices, recent.weighted, recent.total),
        (month.invoices, month.weighted, month.total),
    )


def record_of_row(
    every: tuple[int, int, int, Decimal, Decimal],
    recent: tuple[int, Decimal, Decimal],
    month: tuple[int, Decimal, Decimal],
) -> PaymentRecord:
    """`record_of` from the sums as plain tuples, as SQL returns them (20,000 customers a run):
    every (invoices, late, days, weighted, total), recent and month (invoices, weighted, total)."""
    invoices, late, days, weighted, total = every
    if not invoices:
        return PaymentRecord()
    now = _weighted_days(*recent)
    before = _weighted_days(invoices - recent[0], weighted - recent[1], total - recent[2])
    return PaymentRecord(
        invoices_due=invoices,
        average_days=(Decimal(days) / invoices).quantize(ONE_PLACE),
        weighted_days=_weighted_days(invoices, weighted, total),
        late_share=(HUNDRED * late / invoices).quantize(ONE_PLACE),
        trend_days=None if now is None or before is None else now - before,
        month_days=_weighted_days(*month),
    )


def payment_record(invoices: list[InvoicePayment], as_of: date) -> PaymentRecord:
    """Over the invoices that fell due in the 12 months up to `as_of` (others are ignored)."""
    sums: dict[Period, PaymentSums] = {}
    for invoice in invoices:
        if not as_of - WINDOW < invoice.due_date <= as_of:
            continue
        days = invoice.days_beyond_terms(as_of)
        period = period_of(invoice.due_date, as_of)
        sums[period] = sums.get(period, PaymentSums()) + PaymentSums(
            1, int(days > 0), days, invoice.total * days, invoice.total
        )
    return record_from(sums)


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal; None when there is no whole."""
    if whole <= 0:
        return None
    return (HUNDRED * part / whole).quantize(ONE_PLACE)


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - (1 if end.day < start.day else 0))
