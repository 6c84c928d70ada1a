"""Line and order amounts (per-line rounding to the minor unit, half-up, so totals add up) and
the rule that picks a line's price from the price lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models.money import ZERO, quantize

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    tax: Decimal
    total: Decimal


def line_amounts(
    quantity: Decimal,
    unit_price: Decimal,
    discount_pct: Decimal,
    tax_rate: Decimal,
    currency: str = "USD",
) -> LineAmounts:
    gross = quantity * unit_price
    net = quantize(gross * (HUNDRED - discount_pct) / HUNDRED, currency)
    tax = quantize(net * tax_rate, currency)
    return LineAmounts(net=net, tax=tax, total=net + tax)


def order_totals(lines: list[LineAmounts]) -> LineAmounts:
    net = sum((line.net for line in lines), ZERO)
    tax = sum((line.tax for line in lines), ZERO)
    return LineAmounts(net=net, tax=tax, total=net + tax)


AUDIENCE_RANK = {"customer": 0, "credit_class": 1, "default": 2}


@dataclass(frozen=True)
class PriceOffer:
    """One price-list item as the selection rule sees it."""

    list_id: int
    audience: str  # customer | credit_class | default, already matched to the order's customer
    min_quantity: Decimal
    unit_price: Decimal
    valid_from: date
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def select_price(offers: list[PriceOffer], quantity: Decimal, on: date) -> PriceOffer | None:
    """The most specific price valid on the order date: customer list before credit-class list
    before default list; within one, the largest quantity break the line reaches, then the
    newest period."""
    usable = [o for o in offers if o.valid_on(on) and o.min_quantity <= quantity]
    if not usable:
        return None
    return min(
        usable,
        key=lambda o: (AUDIENCE_RANK[o.audience], -o.min_quantity, -o.valid_from.toordinal()),
    )


def periods_overlap(a: PriceOffer, b: PriceOffer) -> bool:
    a_end = a.valid_to or date.max
    b_end = b.valid_to or date.max
    return a.valid_from <= b_end and b.valid_from <= a_end
