"""Ageing of receivables: which bucket an open amount falls in on a given day. Pure rules.

An amount is `not_due` while its due date is today or later (whatever the basis). Past that it
is aged by the days since the basis date (due date, or invoice date) into buckets given by
their upper bounds: bounds 30,60,90,120 make 1-30, 31-60, 61-90, 91-120 and 120+."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlmodel import SQLModel

from models.errors import InvalidInput
from models.money import ZERO, Amount

NOT_DUE = "not_due"
DEFAULT_BUCKETS = (30, 60, 90, 120)
MAX_BUCKETS = 12
MAX_DAYS = 3650


class AgeingBasis(StrEnum):
    DUE_DATE = "due_date"
    INVOICE_DATE = "invoice_date"


@dataclass(frozen=True)
class Bucket:
    """Ages from `low` to `high` days past the basis date, both included; `high` None is open."""

    label: str
    low: int
    high: int | None

    def basis_dates(self, as_of: date) -> tuple[date | None, date]:
        """The basis dates that fall in this bucket on `as_of`: (earliest or None, latest)."""
        earliest = None if self.high is None else as_of - timedelta(days=self.high)
        return earliest, as_of - timedelta(days=self.low)


def parse_buckets(text: str | None) -> tuple[int, ...]:
    """'30,60,90,120' -> (30, 60, 90, 120): whole days, rising, at most 12 bounds."""
    if text is None or not text.strip():
        return DEFAULT_BUCKETS
    try:
        bounds = tuple(int(part) for part in text.split(","))
    except ValueError as exc:
        raise InvalidInput("buckets: whole numbers of days, e.g. 30,60,90", "buckets") from exc
    if len(bounds) > MAX_BUCKETS:
        raise InvalidInput(f"buckets: at most {MAX_BUCKETS} bounds", "buckets")
    if any(b < 1 or b > MAX_DAYS for b in bounds):
        raise InvalidInput(f"buckets: each bound between 1 and {MAX_DAYS} days", "buckets")
    if any(later <= earlier for earlier, later in zip(bounds, bounds[1:], strict=False)):
        raise InvalidInput("buckets: bounds must rise, e.g. 30,60,90", "buckets")
    return bounds


def buckets(bounds: tuple[int, ...]) -> list[Bucket]:
    result, low = [], 1
    for high in bounds:
        result.append(Bucket(f"{low}-{high}", low, high))
        low = high + 1
    result.append(Bucket(f"{bounds[-1]}+" if bounds else "1+", low, None))
    return result


def age_in_days(as_of: date, basis_date: date) -> int:
    return (as_of - basis_date).days


def bucket_of(as_of: date, due_date: date, basis_date: date, bounds: tuple[int, ...]) -> str:
    """The column an open amount belongs in on `as_of`."""
    if due_date >= as_of:
        return NOT_DUE
    age = age_in_days(as_of, basis_date)
    for bucket in buckets(bounds):
        if bucket.high is None or age <= bucket.high:
            return bucket.label
    raise AssertionError("the last bucket is open-ended")


class AgeingAmounts(SQLModel):
    not_due: Amount = ZERO
    amounts: dict[str, Amount] = {}
    total: Amount = ZERO


class CustomerAgeing(AgeingAmounts):
    customer_id: int
    code: str
    name: str
    currency: str


class CurrencyAgeing(AgeingAmounts):
    currency: str


class AgeingReport(SQLModel):
    as_of: date
    basis: AgeingBasis
    buckets: list[str]
    source: str  # "ledger" (any date) or "invoice" (the outstanding column, when equal)
    customers: list[CustomerAgeing]
    totals: list[CurrencyAgeing]
