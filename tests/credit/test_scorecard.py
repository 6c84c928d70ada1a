"""The scorecard: points per factor by the bands of the version in force, a score of 0-100 and a
grade; paying later never raises it, and a version whose weights do not sum to 100 is refused."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from models.credit.payment_days import InvoicePayment, payment_record
from models.credit.scorecard import (
    DEFAULT_SCORECARD,
    HIGHER_IS_BETTER,
    Band,
    Factor,
    FactorSpec,
    Grade,
    ScorecardSpec,
    graded,
    score,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "credit.md"
AS_OF = date(2026, 6, 30)

# The band limits themselves, so that a value on a limit is tried as often as one beside it.
LIMITS = sorted({b.upto for f in DEFAULT_SCORECARD.factors for b in f.bands if b.upto is not None})
values = st.one_of(
    st.none(),
    st.sampled_from(LIMITS),
    st.decimals(min_value=-100, max_value=1000, places=1, allow_nan=False),
)
inputs = st.fixed_dictionaries({factor: values for factor in Factor})
deltas = st.decimals(min_value=0, max_value=500, places=1)


def worked_example() -> list[tuple[Factor, Decimal, int]]:
    """The rows of the worked example's table in docs/credit.md: factor, input, points."""
    section = DOC.read_text().split("## Worked example", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| ([-\d.]+)[^|]*\| (\d+) \|", section, re.MULTILINE)
    return [(Factor(name), Decimal(value), int(points)) for name, value, points in rows]


def test_the_worked_example_lists_every_factor_of_the_default_scorecard() -> None:
    assert [factor for factor, _, _ in worked_example()] == [
        spec.factor for spec in DEFAULT_SCORECARD.factors
    ]


@pytest.mark.parametrize(("factor", "value", "points"), worked_example())
def test_each_factor_scores_the_points_of_the_worked_example(
    factor: Factor, value: Decimal, points: int
) -> None:
    result = score(DEFAULT_SCORECARD, {factor: value})

    assert next(f.points for f in result.factors if f.factor == factor) == points


def test_the_worked_example_scores_59_and_grade_c() -> None:
    example = {factor: value for factor, value, _ in worked_example()}

    result = score(DEFAULT_SCORECARD, example)

    assert (result.score, result.grade) == (59, Grade.C)
    assert result.score == sum(points for _, _, points in worked_example())
    assert f"**{result.score}**" in DOC.read_text()


def test_every_factor_shows_its_value_points_and_weight() -> None:
    result = score(DEFAULT_SCORECARD, {Factor.DAYS_BEYOND_TERMS: Decimal("3")})

    days = result.factors[0]
    assert (days.factor, days.value, days.points, days.weight) == (
        Factor.DAYS_BEYOND_TERMS,
        Decimal("3"),
        16,
        20,
    )
    assert sum(f.weight for f in result.factors) == 100


@given(inputs)
def test_the_score_lies_between_0_and_100_and_its_grade_follows(
    given_inputs: dict[Factor, Decimal | None],
) -> None:
    result = score(DEFAULT_SCORECARD, given_inputs)

    assert 0 <= result.score <= 100
    floors = {g.grade: g.min_score for g in DEFAULT_SCORECARD.grades}
    assert result.score >= floors[result.grade]


@given(inputs)
def test_the_run_s_score_and_grade_are_those_of_the_full_score(
    given_inputs: dict[Factor, Decimal | None],
) -> None:
    result = score(DEFAULT_SCORECARD, given_inputs)

    assert graded(DEFAULT_SCORECARD, given_inputs) == (result.score, result.grade)


@given(inputs, st.sampled_from(list(Factor)), deltas)
def test_a_worse_value_of_any_factor_never_raises_the_score(
    given_inputs: dict[Factor, Decimal | None], factor: Factor, delta: Decimal
) -> None:
    value = given_inputs[factor] or Decimal(0)
    worse = value - delta if factor in HIGHER_IS_BETTER else value + delta

    before = score(DEFAULT_SCORECARD, {**given_inputs, factor: value})
    after = score(DEFAULT_SCORECARD, {**given_inputs, factor: worse})

    assert after.score <= before.score


invoices = st.lists(
    st.builds(
        InvoicePayment,
        due_date=st.dates(AS_OF - timedelta(days=364), AS_OF),
        total=st.decimals(min_value=1, max_value=100_000, places=2),
        settled_on=st.one_of(st.none(), st.dates(AS_OF - timedelta(days=400), AS_OF)),
    ),
    min_size=1,
    max_size=30,
)


@given(invoices, st.data())
def test_paying_an_invoice_later_never_raises_the_score(
    history: list[InvoicePayment], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(history) - 1))
    paid = history[index]
    later = data.draw(st.integers(1, 120))
    settled = paid.settled_on or AS_OF
    new_day = min(AS_OF, max(settled, paid.due_date) + timedelta(days=later))
    slower = [
        *history[:index],
        InvoicePayment(paid.due_date, paid.total, new_day),
        *history[index + 1 :],
    ]

    def scored(payments: list[InvoicePayment]) -> int:
        record = payment_record(payments, AS_OF)
        return score(
            DEFAULT_SCORECARD,
            {Factor.DAYS_BEYOND_TERMS: record.weighted_days, Factor.LATE_SHARE: record.late_share},
        ).score

    assert scored(slower) <= scored(history)


def _spec_with(factor: FactorSpec) -> dict[str, object]:
    rules = DEFAULT_SCORECARD.model_dump()
    rules["factors"] = [
        factor.model_dump() if f["factor"] == factor.factor else f for f in rules["factors"]
    ]
    return rules


def test_a_version_whose_weights_do_not_sum_to_100_is_refused() -> None:
    heavier = FactorSpec(
        factor=Factor.DAYS_BEYOND_TERMS, bands=[Band(upto=Decimal(0), points=25), Band(points=0)]
    )

    with pytest.raises(ValidationError, match="weights sum to 105, not 100"):
        ScorecardSpec.model_validate(_spec_with(heavier))


def test_bands_that_reward_paying_later_are_refused() -> None:
    with pytest.raises(ValidationError, match="a smaller value must never earn fewer points"):
        FactorSpec(
            factor=Factor.DAYS_BEYOND_TERMS,
            bands=[Band(upto=Decimal(0), points=10), Band(points=20)],
        )
