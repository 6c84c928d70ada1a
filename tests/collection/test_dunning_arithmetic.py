"""The pure dunning maths: fees, interest, the ladder's moments, days past due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from models.collection.dunning_terms import (
    DEFAULT_TERMS,
    DunningLevelSpec,
    DunningTerms,
    days_past_due,
    fee_for,
    interest_for,
    ladder,
    step_moment,
)


def test_interest_is_outstanding_times_rate_times_days_over_365() -> None:
    # 1000 x 10 % x 10 / 365 = 2.7397... -> 2.74
    assert interest_for(Decimal("1000.00"), Decimal("0.10"), 10) == Decimal("2.74")


def test_interest_rounds_half_up_to_the_minor_unit() -> None:
    # 365 x 2.5 % x 5 / 365 = 0.125 exactly: half-up gives 0.13 (banker's would give 0.12)
    assert interest_for(Decimal("365.00"), Decimal("0.025"), 5) == Decimal("0.13")
    assert interest_for(Decimal("365"), Decimal("0.025"), 5, "JPY") == Decimal("0")


def test_no_interest_without_days_or_money() -> None:
    assert interest_for(Decimal("100.00"), Decimal("0.10"), 0) == Decimal("0.00")
    assert interest_for(Decimal("0.00"), Decimal("0.10"), 30) == Decimal("0.00")


def test_fee_is_fixed_or_a_percentage_of_outstanding() -> None:
    fixed = DunningLevelSpec(level=1, days_past_due=7, fee_fixed=Decimal("10.00"))
    share = DunningLevelSpec(level=1, days_past_due=7, fee_pct=Decimal("2"))
    assert fee_for(fixed, Decimal("999.99")) == Decimal("10.00")
    assert fee_for(share, Decimal("1234.25")) == Decimal("24.69")  # 24.685 half-up


@given(
    st.decimals(min_value=0, max_value=10**9, places=2),
    st.decimals(min_value=0, max_value=1, places=4),
    st.integers(min_value=0, max_value=3650),
)
def test_interest_is_never_negative_and_exact_to_the_cent(
    outstanding: Decimal, rate: Decimal, days: int
) -> None:
    interest = interest_for(outstanding, rate, days)
    assert interest >= 0
    assert interest == interest.quantize(Decimal("0.01"))


def test_ladder_is_the_reminder_then_each_level_and_the_last_is_marked() -> None:
    steps = ladder(DEFAULT_TERMS)
    assert [(s.level, s.days) for s in steps] == [(0, -3), (1, 7), (2, 21), (3, 45)]
    assert [s.last for s in steps] == [False, False, False, True]


def test_steps_fall_at_the_policy_hour_and_later_by_the_time_in_dispute() -> None:
    due = date(2026, 12, 31)
    assert step_moment(due, 7, time(6), timedelta(0)) == datetime(2027, 1, 7, 6, tzinfo=UTC)
    assert step_moment(due, -3, time(6), timedelta(days=2)) == datetime(2026, 12, 30, 6, tzinfo=UTC)


def test_days_in_dispute_do_not_count_as_past_due() -> None:
    due = date(2026, 12, 1)
    assert days_past_due(due, date(2026, 12, 31), timedelta(0)) == 30
    assert days_past_due(due, date(2026, 12, 31), timedelta(days=12)) == 18
    assert days_past_due(due, date(2026, 11, 20), timedelta(0)) == 0


def test_levels_must_rise_in_order() -> None:
    with pytest.raises(ValidationError):
        DunningTerms(
            levels=[
                DunningLevelSpec(level=1, days_past_due=30),
                DunningLevelSpec(level=2, days_past_due=10),
            ]
        )
