"""Reading one spreadsheet cell as the value a column wants: text, a count, an amount in its
currency's decimals, a date. What old systems and spreadsheets write is read as meant (Excel
serial dates, full-width digits, thousands separators); anything else is refused with a reason."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from models.fields import FIRST_DAY, LAST_DAY
from models.money import MoneyError, parse_amount

# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in).
EXCEL_EPOCH = date(1899, 12, 30)
# 1900-01-01 .. 2999-12-31 as serial numbers: anything else in a date column is not a date.
FIRST_SERIAL = (FIRST_DAY - EXCEL_EPOCH).days
LAST_SERIAL = (LAST_DAY - EXCEL_EPOCH).days
# 1,234,567.89: groups of three after the first; a separator anywhere else is a typing error.
GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
PLAIN = re.compile(r"[+-]?\d+(\.\d+)?")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")
TRUE = {"true", "yes", "y", "1", "是"}
FALSE = {"false", "no", "n", "0", "否"}


class CellError(ValueError):
    """A cell that is not what its column wants; the message says why."""


def text(value: object) -> str:
    """The cell as trimmed text; full-width letters, digits and punctuation as their ASCII."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number: 1001.0 is "1001"
    return unicodedata.normalize("NFKC", str(value)).strip()


def number_text(value: object) -> str:
    """A number's digits, whatever the spreadsheet made of it: a float from .xlsx keeps its
    shortest exact form ("12.5"), separators and full-width digits come out plain."""
    if isinstance(value, bool):
        raise CellError("is true/false, not a number")
    if isinstance(value, float):
        return repr(value)
    raw = text(value).replace(" ", "").replace("\u3000", "")
    if GROUPED.fullmatch(raw):
        return raw.replace(",", "")
    if PLAIN.fullmatch(raw):
        return raw
    raise CellError(f"{raw!r} is not a number")


def amount(value: object, currency: str) -> Decimal:
    try:
        return parse_amount(number_text(value), currency)
    except MoneyError as exc:
        raise CellError(f"{exc} ({currency})") from exc


def decimal(value: object) -> Decimal:
    try:
        return Decimal(number_text(value))
    except InvalidOperation as exc:  # pragma: no cover - number_text already checked it
        raise CellError(f"{value!r} is not a number") from exc


def whole_number(value: object) -> int:
    number = decimal(value)
    if number != number.to_integral_value():
        raise CellError(f"{value} is not a whole number")
    return int(number)


def day(value: object) -> date:
    """A date: a spreadsheet date, an Excel serial number (45678), or 2026-01-31 (also / . or
    no separator)."""
    if isinstance(value, datetime):
        return _in_range(value.date())
    if isinstance(value, date):
        return _in_range(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    raw = text(value)
    if PLAIN.fullmatch(raw) and len(raw) <= 6:
        return _serial(float(raw))
    for pattern in DATE_FORMATS:
        try:
            return _in_range(datetime.strptime(raw, pattern).date())
        except ValueError:
            continue
    raise CellError(f"{raw!r} is not a date (write 2026-01-31)")


def _serial(number: float) -> date:
    if number != int(number) or not FIRST_SERIAL <= number <= LAST_SERIAL:
        raise CellError(f"{number} is not a date (an Excel serial date is a whole day number)")
    return EXCEL_EPOCH + timedelta(days=int(number))


def _in_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise CellError(f"{value} is outside {FIRST_DAY} .. {LAST_DAY}")
    return value


def flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise CellError(f"{raw!r} is not yes or no")


def plain(number: Decimal) -> Decimal:
    """A stored 120.000 or 0.1300 as a person writes it: 120, 0.13."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()
