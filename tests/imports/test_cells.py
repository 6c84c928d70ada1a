"""Cells read as the person who typed them meant: Excel serial dates, full-width digits,
thousands separators; amounts in their currency's decimals; anything else refused with why."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.imports.cells import CellError, amount, day, flag, text, whole_number


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (45991, date(2025, 11, 30)),
        (45991.0, date(2025, 11, 30)),
        ("45991", date(2025, 11, 30)),
        ("2025-11-30", date(2025, 11, 30)),
        ("2025/11/30", date(2025, 11, 30)),
        ("２０２５－１１－３０", date(2025, 11, 30)),
        (datetime(2025, 11, 30, 0, 0), date(2025, 11, 30)),
    ],
)
def test_dates_as_spreadsheets_and_old_systems_write_them(cell: object, expected: date) -> None:
    assert day(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("30/11/2025", "'30/11/2025' is not a date (write 2026-01-31)"),
        (45991.5, "45991.5 is not a date (an Excel serial date is a whole day number)"),
        (-3, "-3 is not a date (an Excel serial date is a whole day number)"),
    ],
)
def test_what_is_not_a_date_is_refused(cell: object, message: str) -> None:
    with pytest.raises(CellError) as refused:
        day(cell)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("cell", "currency", "expected"),
    [
        ("1,234,567.89", "USD", Decimal("1234567.89")),
        ("１，２３４．５０", "CNY", Decimal("1234.50")),
        ("１２３４", "JPY", Decimal("1234")),
        (1234.5, "USD", Decimal("1234.50")),
        (" 12.5 ", "KWD", Decimal("12.500")),
    ],
)
def test_amounts_with_separators_and_full_width_digits(
    cell: object, currency: str, expected: Decimal
) -> None:
    assert amount(cell, currency) == expected


@pytest.mark.parametrize(
    ("cell", "currency", "message"),
    [
        ("12,34.5", "USD", "'12,34.5' is not a number"),
        ("12.345", "USD", "12.345 has more than 2 decimals (USD)"),
        ("100.5", "JPY", "100.5 has more than 0 decimals (JPY)"),
        ("N/A", "USD", "'N/A' is not a number"),
        (True, "USD", "is true/false, not a number"),
    ],
)
def test_bad_amounts_say_why(cell: object, currency: str, message: str) -> None:
    with pytest.raises(CellError) as refused:
        amount(cell, currency)
    assert str(refused.value) == message


def test_whole_numbers_flags_and_text() -> None:
    assert whole_number("４５") == 45
    assert flag("是") is True and flag("no") is False
    assert text(1001.0) == "1001"
    with pytest.raises(CellError, match="not a whole number"):
        whole_number("4.5")


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_any_amount_written_with_separators_reads_back_exactly(value: Decimal) -> None:
    assert amount(f"{value:,.2f}", "USD") == value
