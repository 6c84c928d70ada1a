"""Numbers, amounts and dates on the pages, written as notifications/formatting.py writes them
(Babel's CLDR data) at a fraction of the cost: a long table calls these hundreds of times a
render, and Babel's pattern engine took ~40 µs a number and a date, most of a list's render.

Numbers: Python's own grouping, with the locale's group, decimal and minus symbols put in, for
every locale that groups by three as Python does (all o2c's languages); any other goes through
Babel. Dates: Babel's, kept per day and language (a page's dates repeat)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import NumberPattern, parse_pattern

from notifications import formatting


@dataclass(frozen=True)
class Symbols:
    """What the locale writes for Python's ",", "." and "-"."""

    table: dict[int, str]


@lru_cache(maxsize=8)
def locale(language: str) -> Locale:
    return Locale.parse(formatting.locale_of(language))


@lru_cache(maxsize=8)
def _symbols(language: str) -> Symbols | None:
    """None where the locale groups otherwise than by threes (Babel writes those)."""
    found = locale(language)
    if found.decimal_formats[None].grouping != (3, 3):
        return None
    latin = found.number_symbols["latn"]
    table = {ord(","): latin["group"], ord("."): latin["decimal"], ord("-"): latin["minusSign"]}
    return Symbols({k: v for k, v in table.items() if chr(k) != v})


@lru_cache(maxsize=32)
def _pattern(places: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * places if places else ""))


def grouped(value: Decimal, places: int, language: str) -> str:
    """`value` (which has at most `places` decimals) grouped, with exactly `places` decimals."""
    symbols = _symbols(language)
    if symbols is None:
        return _pattern(places).apply(value, locale(language))
    text = format(value, f",.{places}f")
    return text.translate(symbols.table) if symbols.table else text


def number(value: Decimal | int, language: str) -> str:
    """Grouped per the reader's locale; amounts keep the decimals they carry."""
    exact = Decimal(value)
    places = max(0, -exact.as_tuple().exponent)  # type: ignore[operator]
    return grouped(exact, places, language)


@lru_cache(maxsize=256)
def _places(currency: str) -> tuple[int, Decimal]:
    """The currency's decimals, and the exponent an amount is rounded to for them."""
    places = formatting.decimals(currency)
    return places, Decimal(1).scaleb(-places)


def money(amount: Decimal, currency: str, language: str) -> str:
    """In the currency's own decimals (27.00 USD, 2,700 JPY), grouped per the reader's locale;
    the ISO code, not a symbol, since "$" and "¥" name several currencies."""
    places, exponent = _places(currency)
    exact = Decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)
    return f"{grouped(exact, places, language)} {currency}"


@lru_cache(maxsize=4096)
def _day(value: date, language: str) -> str:
    return format_date(value, format="medium", locale=locale(language))


def day(value: date | None, language: str) -> str:
    """As `formatting.day` writes it."""
    return _day(value, language) if value else ""


def moment(value: datetime | None, language: str) -> str:
    return format_datetime(value, format="short", locale=locale(language)) if value else ""
