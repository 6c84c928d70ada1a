"""Line and order amounts: per-line rounding to the minor unit, half-up, so totals add up."""

from __future__ import annotations

from dataclasses import dataclass
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
