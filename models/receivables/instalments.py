"""Payment terms as instalments: a plan such as "30@30,50@60,20@90" (percent@days), split so the
amounts add up exactly to the total, and what of each instalment is still open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from models.money import ZERO, quantize

HUNDRED = Decimal(100)
_TERM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*@\s*(\d+)\s*d?\s*$")


@dataclass(frozen=True)
class InstalmentTerm:
    percent: Decimal
    days: int


@dataclass(frozen=True)
class InstalmentDue:
    seq: int
    due_date: date
    amount: Decimal


def parse_plan(plan: str) -> list[InstalmentTerm]:
    """Reads "30@30,50@60,20@90": percentages that add up to 100 at strictly later days."""
    terms: list[InstalmentTerm] = []
    for part in plan.split(","):
        match = _TERM.match(part)
        if match is None:
            raise ValueError(f"{part.strip()!r} is not percent@days, e.g. 30@30")
        try:
            percent = Decimal(match.group(1))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"{match.group(1)!r} is not a percentage") from exc
        days = int(match.group(2))
        if percent <= 0:
            raise ValueError("every instalment needs a positive percentage")
        if days > 3650:
            raise ValueError("an instalment falls due within ten years")
        if terms and days <= terms[-1].days:
            raise ValueError("instalments fall due on strictly later days")
        terms.append(InstalmentTerm(percent, days))
    if sum((t.percent for t in terms), ZERO) != HUNDRED:
        raise ValueError("instalment percentages add up to 100")
    return terms


def net_terms(days: int) -> list[InstalmentTerm]:
    return [InstalmentTerm(HUNDRED, days)]


def split(
    total: Decimal, terms: list[InstalmentTerm], issue_date: date, currency: str
) -> list[InstalmentDue]:
    """Each instalment's share rounded half-up; the last takes the remainder, so they add up."""
    dues: list[InstalmentDue] = []
    left = total
    for seq, term in enumerate(terms, start=1):
        last = seq == len(terms)
        amount = left if last else quantize(total * term.percent / HUNDRED, currency)
        left -= amount
        dues.append(InstalmentDue(seq, issue_date + timedelta(days=term.days), amount))
    return dues


def open_per_instalment(amounts: list[Decimal], settled: Decimal) -> list[Decimal]:
    """What each instalment still owes when `settled` has been paid, credited or written off:
    money settles the earliest instalment first."""
    left = max(settled, ZERO)
    result: list[Decimal] = []
    for amount in amounts:
        share = min(left, amount)
        left -= share
        result.append(amount - share)
    return result
