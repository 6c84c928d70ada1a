"""The constrained input types every request uses: ids, lines of text, notes, dates and codes.
Each refuses at the boundary what the database, a mail header or a spreadsheet cannot hold."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import Annotated

from annotated_types import Interval
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Strict

# PostgreSQL INTEGER, the narrowest id column o2c runs on; SQLite would take 2^63 but not more.
MAX_ID = 2**31 - 1
# A date outside these is a typing error, and year 1 or 9999 overflows date arithmetic.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
# Reminders, escalations and expiries fall within a year; a longer timer is a typing error and
# beyond Temporal's longest duration it would stall the workflow that sets it.
LONGEST_WAIT = timedelta(days=366)
# Line and paragraph separators end a mail header line just as CR and LF do.
LINE_BREAKS = {"\u2028", "\u2029"}


def _printable(text: str, newlines: bool) -> str:
    for char in text:
        if newlines and char == "\n":
            continue
        category = unicodedata.category(char)
        if category == "Cs":
            raise ValueError("contains an unpaired surrogate, which is not text")
        if category == "Cc" or char in LINE_BREAKS:
            raise ValueError(f"contains the control character U+{ord(char):04X}")
    return text


def _line(value: object) -> object:
    if not isinstance(value, str):
        return value  # the str type refuses it with its own message
    text = _printable(value.strip(), newlines=False)
    if not text:
        raise ValueError("may not be blank")
    return text


def _note(value: object) -> object:
    if not isinstance(value, str):
        return value
    # CR LF from browsers and Windows clients is one newline; a lone CR is refused below.
    text = _printable(value.replace("\r\n", "\n").strip(), newlines=True)
    if not text:
        raise ValueError("may not be blank")
    return text


def _code(value: object) -> object:
    text = _line(value)
    return text.upper() if isinstance(text, str) else text


def _sane_day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must lie between {FIRST_DAY} and {LAST_DAY}")
    return value


def _sane_moment(value: datetime) -> datetime:
    _sane_day(value.date())
    return value


# A record's id in a body: a JSON integer (not "1") within the id column's range.
Id = Annotated[int, Strict(), Interval(ge=1, le=MAX_ID)]
# A record's id in a path or query: text by nature, so not strict; out of range is a 422.
IdParam = Annotated[int, Interval(ge=1, le=MAX_ID)]
# A small whole number in a body (days, levels, counts): a JSON integer, never "30".
Count = Annotated[int, Strict(), Interval(ge=0, le=MAX_ID)]
# One line of text (names, references, reasons): stripped, not blank, no control characters,
# so it can go into a mail Subject, a spreadsheet cell or a PDF unchanged.
Line = Annotated[str, BeforeValidator(_line)]
# Free text (notes, comments): as Line, but newlines are allowed; it never goes into a Subject.
Note = Annotated[str, BeforeValidator(_note)]
# A business code (SKU, customer code): a Line stored upper case, so `wid-100` is `WID-100`.
Code = Annotated[str, BeforeValidator(_code)]
# A calendar day people can mean.
Day = Annotated[date, AfterValidator(_sane_day)]
# A moment with its offset (a naive time is ambiguous), on a day people can mean.
Moment = Annotated[AwareDatetime, AfterValidator(_sane_moment)]
# How long to wait before a reminder, escalation or expiry: positive, at most a year.
Wait = Annotated[timedelta, Interval(gt=timedelta(0), le=LONGEST_WAIT)]
