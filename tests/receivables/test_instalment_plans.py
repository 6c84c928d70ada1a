"""Instalment plans ("30@30,50@60,20@90"): read, checked, split exactly, settled in order."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.receivables.instalments import net_terms, open_per_instalment, parse_plan, split


def test_plan_reads_percentages_at_days() -> None:
    terms = parse_plan("30@30, 50%@60, 20@90d")
    assert [(t.percent, t.days) for t in terms] == [
        (Decimal(30), 30),
        (Decimal(50), 60),
        (Decimal(20), 90),
    ]


@pytest.mark.parametrize(
    "plan, message",
    [
        ("30@30,50@60", "add up to 100"),
        ("50@60,50@30", "strictly later"),
        ("half@30", "percent@days"),
        ("0@10,100@20", "positive"),
    ],
)
def test_plan_that_is_not_a_valid_schedule_is_refused(plan: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_plan(plan)


def test_instalments_fall_due_at_their_days_and_the_last_takes_the_remainder() -> None:
    dues = split(Decimal("100.01"), parse_plan("30@30,50@60,20@90"), date(2026, 1, 1), "USD")
    assert [(d.seq, d.due_date, d.amount) for d in dues] == [
        (1, date(2026, 1, 31), Decimal("30.00")),
        (2, date(2026, 3, 2), Decimal("50.01")),
        (3, date(2026, 4, 1), Decimal("20.00")),
    ]


def test_net_terms_are_one_instalment_for_the_whole_total() -> None:
    dues = split(Decimal("99.99"), net_terms(14), date(2026, 1, 1), "USD")
    assert [(d.due_date, d.amount) for d in dues] == [(date(2026, 1, 15), Decimal("99.99"))]


def test_money_settles_the_earliest_instalment_first() -> None:
    amounts = [Decimal("30.00"), Decimal("50.00"), Decimal("20.00")]
    assert open_per_instalment(amounts, Decimal("45.00")) == [
        Decimal("0.00"),
        Decimal("35.00"),
        Decimal("20.00"),
    ]


totals = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000000"), places=2)
plans = st.lists(st.integers(1, 60), min_size=1, max_size=6).filter(lambda xs: sum(xs) <= 100)


@given(totals, plans)
def test_instalments_add_up_exactly_to_the_total(total: Decimal, shares: list[int]) -> None:
    percents = [*shares[:-1], 100 - sum(shares[:-1])]
    if percents[-1] <= 0:
        return
    plan = ",".join(f"{p}@{30 * (i + 1)}" for i, p in enumerate(percents))
    dues = split(total, parse_plan(plan), date(2026, 1, 1), "USD")
    assert sum((d.amount for d in dues), Decimal(0)) == total
    assert all(d.amount >= 0 for d in dues)
    assert all(d.amount == d.amount.quantize(Decimal("0.01")) for d in dues)


@given(st.lists(totals, min_size=1, max_size=5), totals)
def test_open_instalments_never_go_negative_and_add_up_to_what_is_open(
    amounts: list[Decimal], settled: Decimal
) -> None:
    opens = open_per_instalment(amounts, settled)
    assert all(x >= 0 for x in opens)
    assert sum(opens, Decimal(0)) == max(sum(amounts, Decimal(0)) - settled, Decimal(0))
