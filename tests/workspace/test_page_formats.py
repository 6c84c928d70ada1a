"""The pages write numbers, amounts and dates exactly as the documents and e-mails do
(notifications/formatting.py, Babel's CLDR data), in every language, with the fast path the
pages take for long tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from api.pages import formats
from models.languages import LANGUAGES
from notifications import formatting

AMOUNTS = [
    "0",
    "0.00",
    "-0.50",
    "7",
    "999.99",
    "1000",
    "-1234.5",
    "1234567.891",
    "123456789012.34",
    "0.125",
    "1E+3",
    "-987654.00",
]


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_numbers_read_as_babel_writes_them(language: str) -> None:
    locale = formatting.locale_of(language)
    for text in AMOUNTS:
        value = Decimal(text)
        places = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
        pattern = "#,##0" + ("." + "0" * places if places else "")
        assert formats.number(value, language) == format_decimal(
            value, format=pattern, locale=locale
        ), text
    assert formats.number(1234567, language) == format_decimal(
        1234567, format="#,##0", locale=locale
    )


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("currency", ["USD", "JPY", "BHD"])
def test_amounts_read_as_on_the_documents(language: str, currency: str) -> None:
    for text in AMOUNTS + ["2.005", "-2.005", "12345.6789"]:
        amount = Decimal(text)
        expected = f"{formatting.money(amount, currency, language)} {currency}"
        assert formats.money(amount, currency, language) == expected, (text, currency)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_days_read_as_on_the_documents(language: str) -> None:
    for day in (date(2026, 1, 2), date(2026, 11, 30), date(1999, 12, 31)):
        assert formats.day(day, language) == formatting.day(day, language)
        assert formats.day(day, language) == formats.day(day, language)  # kept, the same
    assert formats.day(None, language) == ""
