"""Money amounts: rounded half up to the currency's minor unit, parsed exactly, and refused
when they are floats, not numbers or finer than the currency."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.money import MoneyError, parse_amount, quantize


def test_quantize_rounds_half_up_to_the_minor_unit() -> None:
    assert quantize(Decimal("2.345")) == Decimal("2.35")
    assert quantize(Decimal("2.344")) == Decimal("2.34")
    assert quantize(Decimal("-2.345")) == Decimal("-2.35")
    assert quantize(Decimal("100.5"), "JPY") == Decimal("101")
    assert quantize(Decimal("1.2345"), "KWD") == Decimal("1.235")


def test_amount_with_more_decimals_than_the_currency_is_refused() -> None:
    with pytest.raises(MoneyError, match="more than 2 decimals"):
        parse_amount("10.005")
    with pytest.raises(MoneyError, match="more than 0 decimals"):
        parse_amount("10.5", "JPY")


def test_trailing_zeros_are_not_extra_decimals() -> None:
    assert parse_amount("19.9900") == Decimal("19.99")


@pytest.mark.parametrize("bad", [19.99, True, "abc", "NaN", "Infinity", ""])
def test_floats_and_non_numbers_are_refused(bad: object) -> None:
    with pytest.raises(MoneyError):
        parse_amount(bad)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_parsing_a_two_decimal_amount_keeps_it_exactly(amount: Decimal) -> None:
    assert parse_amount(str(amount)) == amount
