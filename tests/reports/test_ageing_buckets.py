"""The ageing bucket rules on plain dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import InvalidInput
from models.reports.ageing import NOT_DUE, bucket_of, buckets, parse_buckets

AS_OF = date(2026, 11, 27)
STANDARD = (30, 60, 90, 120)


def days_ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def test_an_invoice_due_today_or_later_is_not_due() -> None:
    assert bucket_of(AS_OF, AS_OF, AS_OF, STANDARD) == NOT_DUE
    assert bucket_of(AS_OF, AS_OF + timedelta(days=5), days_ago(20), STANDARD) == NOT_DUE


@pytest.mark.parametrize(
    ("days_past_due", "bucket"),
    [(1, "1-30"), (30, "1-30"), (31, "31-60"), (90, "61-90"), (120, "91-120"), (121, "120+")],
)
def test_overdue_amounts_fall_in_the_bucket_of_their_days_past_due(
    days_past_due: int, bucket: str
) -> None:
    due = days_ago(days_past_due)
    assert bucket_of(AS_OF, due, due, STANDARD) == bucket


def test_invoice_date_basis_ages_from_the_issue_date() -> None:
    # Issued 45 days ago on 30-day terms: 15 days past due, but 45 days old.
    assert bucket_of(AS_OF, days_ago(15), days_ago(15), STANDARD) == "1-30"
    assert bucket_of(AS_OF, days_ago(15), days_ago(45), STANDARD) == "31-60"


def test_buckets_are_labelled_from_their_bounds() -> None:
    assert [b.label for b in buckets((15, 45))] == ["1-15", "16-45", "45+"]
    assert parse_buckets(None) == STANDARD
    assert parse_buckets("7, 14,28") == (7, 14, 28)


@pytest.mark.parametrize("text", ["30,x", "60,30", "30,30", "0,30", "5000", ",".join(["1"] * 13)])
def test_bad_bucket_bounds_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_buckets(text)


@given(
    st.lists(st.integers(1, 400), min_size=1, max_size=6, unique=True).map(sorted),
    st.integers(-100, 800),
)
def test_every_overdue_age_lands_in_exactly_one_bucket(bounds: list[int], age: int) -> None:
    due = days_ago(age)
    label = bucket_of(AS_OF, due, due, tuple(bounds))
    matching = [
        b.label
        for b in buckets(tuple(bounds))
        if age >= b.low and (b.high is None or age <= b.high)
    ]
    assert [label] == (matching if age >= 1 else [NOT_DUE])
