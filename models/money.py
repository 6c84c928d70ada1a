"""The one money type: Decimal quantized to the currency's minor unit, half-up."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

MINOR_UNITS: dict[str, int] = {"JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3, "OMR": 3}
ZERO = Decimal("0")
# The largest magnitudes the columns hold exactly: money is 1/10000 units in 64 bits on SQLite
# (about 9.2e14), quantities NUMERIC(18, 3). Bigger input is refused, not left to overflow.
MAX_AMOUNT = Decimal(10) ** 14
MAX_DECIMAL = Decimal(10) ** 15


class MoneyError(ValueError):
    """An amount that is not a valid money value."""


def minor_unit(currency: str) -> int:
    return MINOR_UNITS.get(currency.upper(), 2)


def quantize(amount: Decimal | int | str, currency: str = "USD") -> Decimal:
    """Round to the currency's minor unit, half-up (the only rounding o2c does)."""
    exponent = Decimal(1).scaleb(-minor_unit(currency))
    return Decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)


def shown(amount: Decimal) -> str:
    """An amount for a message: stored amounts carry four decimals, people read two."""
    return str(quantize(amount))


def parse_amount(value: object, currency: str = "USD") -> Decimal:
    """An exact amount from user input: strings or ints, never floats, no extra decimals."""
    if isinstance(value, (bool, float)):
        raise MoneyError('amounts are decimal strings such as "12.50", not floating point')
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise MoneyError(f"{value!r} is not a number") from exc
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not a finite amount")
    if abs(amount) >= MAX_AMOUNT:
        raise MoneyError(f"{value} is too large: amounts stay below {MAX_AMOUNT:,}")
    exact = quantize(amount, currency)
    if exact != amount:
        raise MoneyError(f"{value} has more than {minor_unit(currency)} decimals")
    return exact


def _check_amount(value: object) -> Decimal:
    return parse_amount(value)


def _check_decimal(value: object) -> Decimal:
    if isinstance(value, (bool, float)):
        raise MoneyError("use a decimal string, not floating point")
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise MoneyError(f"{value!r} is not a number") from exc
    if not number.is_finite():
        raise MoneyError(f"{value!r} is not a finite number")
    if abs(number) >= MAX_DECIMAL:
        raise MoneyError(f"{value} is too large: numbers stay below {MAX_DECIMAL:,}")
    return number


# Amounts in API payloads: exact, two decimals at most, written as strings in JSON.
Amount = Annotated[
    Decimal, BeforeValidator(_check_amount), PlainSerializer(str, return_type=str, when_used="json")
]
# Rates, percentages and quantities: exact decimals, strings in JSON.
DecimalStr = Annotated[
    Decimal,
    BeforeValidator(_check_decimal),
    PlainSerializer(str, return_type=str, when_used="json"),
]


QUANTITY_PLACES = 3  # the stock ledger keeps thousandths (grams of a kilogram)
# A billion units: far beyond any order, and small enough that quantity times a price stays an
# amount the money columns hold for any price a person types.
MAX_QUANTITY = Decimal(10) ** 9


def _check_quantity(value: object) -> Decimal:
    number = _check_decimal(value)
    if abs(number) >= MAX_QUANTITY:
        raise MoneyError(f"{value} is too large: quantities stay below {MAX_QUANTITY:,}")
    if number != number.quantize(Decimal(1).scaleb(-QUANTITY_PLACES)):
        raise MoneyError(f"{value} has more than {QUANTITY_PLACES} decimals")
    return number


# Quantities of goods: exact, at most three decimals, strings in JSON.
Quantity = Annotated[
    Decimal,
    BeforeValidator(_check_quantity),
    PlainSerializer(str, return_type=str, when_used="json"),
]


RATE_PLACES = 4  # tax rates and discount percentages are NUMERIC(6, 4) and NUMERIC(7, 4)


def _with_places(places: int) -> Callable[[Decimal], str]:
    exponent = Decimal(1).scaleb(-places)

    def write(number: Decimal) -> str:
        return str(number.quantize(exponent, rounding=ROUND_HALF_UP))

    return write


# Quantities and rates in answers: always the column's scale ("2.000", "0.0500"), so an object
# answered straight after its creation reads the same as when it is read back from the database.
QuantityOut = Annotated[
    Decimal,
    BeforeValidator(_check_decimal),
    PlainSerializer(_with_places(QUANTITY_PLACES), return_type=str, when_used="json"),
]
RateOut = Annotated[
    Decimal,
    BeforeValidator(_check_decimal),
    PlainSerializer(_with_places(RATE_PLACES), return_type=str, when_used="json"),
]
