"""Numbers, amounts and dates as a reader of each language writes them (Babel's CLDR data):
amounts in their currency's decimals (USD 27.00, JPY 2,700), quantities without trailing zeros,
dates in the locale's medium form. Documents and e-mails use these; pages may too."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal, get_currency_precision

from models.languages import BABEL_LOCALE, known

# A unit price may carry more decimals than its currency (0.125 USD a screw): up to this many.
PRICE_DECIMALS = 4


def locale_of(language: str | None) -> str:
    return BABEL_LOCALE[known(language)]


def decimals(currency: str) -> int:
    """The currency's minor-unit digits in Babel's currency data: USD 2, JPY 0, BHD 3."""
    return int(get_currency_precision(currency.upper()))


def _pattern(least: int, most: int) -> str:
    if most == 0:
        return "#,##0"
    return "#,##0." + "0" * least + "#" * (most - least)


def money(amount: Decimal | int | str, currency: str, language: str | None) -> str:
    """An amount in exactly the currency's decimals, grouped per locale: 1,130.00 or 2,700."""
    places = decimals(currency)
    exact = Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_decimal(exact, format=_pattern(places, places), locale=locale_of(language))


def price(amount: Decimal | int | str, currency: str, language: str | None) -> str:
    """A unit price: the currency's decimals at least, more only when they are not zero."""
    places = decimals(currency)
    most = max(places, PRICE_DECIMALS)
    return format_decimal(
        Decimal(amount), format=_pattern(places, most), locale=locale_of(language)
    )


def quantity(value: Decimal | int | str, language: str | None) -> str:
    """A quantity without trailing zeros: 2, 2.5, 1,000."""
    return format_decimal(Decimal(value), format="#,##0.###", locale=locale_of(language))


def percent(rate: Decimal | int | str, language: str | None) -> str:
    """A rate such as 0.13 as 13%, 0.125 as 12.5%."""
    shown = format_decimal(Decimal(rate) * 100, format="#,##0.##", locale=locale_of(language))
    return f"{shown}%"


def day(value: date | datetime | str, language: str | None) -> str:
    """A date as the locale writes it: Dec 2, 2026 / 2026年12月2日."""
    when = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(when, format="medium", locale=locale_of(language))
