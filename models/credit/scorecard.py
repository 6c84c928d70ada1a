"""The credit scorecard: each factor turns one input into points by bands, the points add up to a
score of 0-100 and the score gives a risk grade A-E. A version is data (saved like the approval
policy); `score` is a pure function, so a credit manager sees every factor's points
(docs/credit.md has the worked example)."""

from __future__ import annotations

from bisect import bisect_left
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, model_validator
from sqlmodel import Field, SQLModel

from models.money import DecimalStr

TOTAL_POINTS = 100


class Factor(StrEnum):
    """The scorecard's inputs. Behaviour o2c sees over 12 months, then the recorded financials."""

    DAYS_BEYOND_TERMS = "days_beyond_terms"  # amount-weighted average days paid after due
    LATE_SHARE = "late_share"  # % of invoices paid (or still open) after their due date
    DUNNING_LEVEL = "dunning_level"  # highest dunning level reached
    BROKEN_PROMISES = "broken_promises"
    DISPUTES_LOST = "disputes_lost"
    UTILISATION = "utilisation"  # % of the credit limit in use
    OVERDUE_SHARE = "overdue_share"  # % of open receivables overdue
    PAYMENT_TREND = "payment_trend"  # days beyond terms, last 3 months minus the 9 before
    TENURE_MONTHS = "tenure_months"  # months since the customer was created
    YEARS_TRADING = "years_trading"
    EQUITY_TO_LIMIT = "equity_to_limit"  # equity divided by the credit limit
    EXTERNAL_RATING = "external_rating"  # rank on RATING_SCALE, 1 = AAA


# For these a larger value is better; for every other factor a smaller one is.
HIGHER_IS_BETTER = frozenset({Factor.TENURE_MONTHS, Factor.YEARS_TRADING, Factor.EQUITY_TO_LIMIT})

# External ratings, best first; the scorecard uses the rank (AAA = 1).
RATING_SCALE = ("AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C", "D")


def rating_rank(rating: str) -> int:
    return RATING_SCALE.index(rating) + 1


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class Band(SQLModel):
    """A value up to `upto` (inclusive) earns `points`; the last band has no `upto`."""

    upto: DecimalStr | None = None
    points: int = Field(ge=0, le=TOTAL_POINTS)


class FactorSpec(SQLModel):
    factor: Factor
    bands: list[Band] = Field(min_length=1, max_length=20)
    # Points when the input is unknown (no financials recorded, no invoices yet).
    missing: int = Field(default=0, ge=0, le=TOTAL_POINTS)

    @cached_property
    def weight(self) -> int:
        """The most points this factor can give."""
        return max(band.points for band in self.bands)

    @model_validator(mode="after")
    def _ordered(self) -> FactorSpec:
        name = self.factor.value
        limits = [band.upto for band in self.bands[:-1] if band.upto is not None]
        if len(limits) != len(self.bands) - 1 or self.bands[-1].upto is not None:
            raise ValueError(f"{name}: every band but the last has an upto, the last has none")
        if limits != sorted(limits) or len(set(limits)) != len(limits):
            raise ValueError(f"{name}: band limits must rise")
        points = [band.points for band in self.bands]
        # Monotone by construction: a worse value never earns more points.
        wanted = sorted(points) if self.factor in HIGHER_IS_BETTER else sorted(points, reverse=True)
        if points != wanted:
            better = "larger" if self.factor in HIGHER_IS_BETTER else "smaller"
            raise ValueError(f"{name}: a {better} value must never earn fewer points")
        if self.missing > self.weight:
            raise ValueError(f"{name}: missing gives more than the factor's weight")
        return self

    def points_for(self, value: Decimal | None) -> int:
        if value is None:
            return self.missing
        for band in self.bands:
            if band.upto is None or value <= band.upto:
                return band.points
        raise AssertionError("the last band has no upto")


class GradeFloor(SQLModel):
    grade: Grade
    min_score: int = Field(ge=0, le=TOTAL_POINTS)


class ScorecardSpec(SQLModel):
    """One version's rules: the factors (their weights sum to 100) and the grade floors."""

    factors: list[FactorSpec] = Field(min_length=1, max_length=len(Factor))
    grades: list[GradeFloor] = Field(min_length=len(Grade), max_length=len(Grade))

    @model_validator(mode="after")
    def _complete(self) -> ScorecardSpec:
        names = [spec.factor for spec in self.factors]
        if len(set(names)) != len(names):
            raise ValueError("factors: each factor at most once")
        total = sum(spec.weight for spec in self.factors)
        if total != TOTAL_POINTS:
            raise ValueError(f"factors: the weights sum to {total}, not {TOTAL_POINTS}")
        grades = [floor.grade for floor in self.grades]
        floors = [floor.min_score for floor in self.grades]
        if grades != list(Grade) or floors != sorted(floors, reverse=True) or floors[-1] != 0:
            raise ValueError("grades: A to E, falling floors, E from 0")
        return self

    @cached_property
    def grades_by_score(self) -> tuple[Grade, ...]:
        """`grade_for` each score from 0 to 100 (the points of a version never sum to more),
        once per version."""
        return tuple(grade_for(self, total) for total in range(TOTAL_POINTS + 1))

    @cached_property
    def banded(self) -> tuple[tuple[Factor, tuple[Decimal, ...], tuple[int, ...], int], ...]:
        """Each factor's band limits (rising, validated), its bands' points and its `missing`,
        once per version: `graded` finds a value's band by bisection, thousands a run."""
        return tuple(
            (
                item.factor,
                tuple(band.upto for band in item.bands[:-1] if band.upto is not None),
                tuple(band.points for band in item.bands),
                item.missing,
            )
            for item in self.factors
        )


ScoreInputs = dict[Factor, Decimal | None]


class FactorPoints(BaseModel):
    factor: Factor
    value: DecimalStr | None
    points: int
    weight: int


class Score(BaseModel):
    score: int
    grade: Grade
    factors: list[FactorPoints]


def grade_for(spec: ScorecardSpec, score: int) -> Grade:
    return next(floor.grade for floor in spec.grades if score >= floor.min_score)


def score(spec: ScorecardSpec, inputs: ScoreInputs) -> Score:
    """Every factor's points from its input (missing inputs score `missing`), their sum, the
    grade."""
    # Built without validation: the values come from a validated scorecard.
    factors = [
        FactorPoints.model_construct(
            factor=item.factor,
            value=inputs.get(item.factor),
            points=item.points_for(inputs.get(item.factor)),
            weight=item.weight,
        )
        for item in spec.factors
    ]
    total = sum(item.points for item in factors)
    return Score.model_construct(score=total, grade=grade_for(spec, total), factors=factors)


def graded(spec: ScorecardSpec, inputs: ScoreInputs) -> tuple[int, Grade]:
    """The score and grade of `score`, without each factor's points (thousands a run): the
    first band whose limit is at least the value, as `points_for` finds it walking the bands."""
    total = 0
    for factor, limits, points, missing in spec.banded:
        value = inputs.get(factor)
        total += missing if value is None else points[bisect_left(limits, value)]
    return total, spec.grades_by_score[total]


def _bands(*pairs: tuple[str | None, int]) -> list[Band]:
    return [Band(upto=None if upto is None else Decimal(upto), points=p) for upto, p in pairs]


# In force while no credit manager has saved a scorecard (docs/credit.md explains each line).
DEFAULT_SCORECARD = ScorecardSpec(
    factors=[
        FactorSpec(
            factor=Factor.DAYS_BEYOND_TERMS,
            bands=_bands(("0", 20), ("5", 16), ("15", 10), ("30", 5), ("60", 2), (None, 0)),
            missing=12,
        ),
        FactorSpec(
            factor=Factor.LATE_SHARE,
            bands=_bands(("5", 15), ("15", 11), ("30", 7), ("50", 3), (None, 0)),
            missing=9,
        ),
        FactorSpec(
            factor=Factor.DUNNING_LEVEL,
            bands=_bands(("0", 10), ("1", 7), ("2", 3), (None, 0)),
        ),
        FactorSpec(
            factor=Factor.BROKEN_PROMISES,
            bands=_bands(("0", 10), ("1", 5), ("2", 2), (None, 0)),
        ),
        FactorSpec(factor=Factor.DISPUTES_LOST, bands=_bands(("0", 5), ("1", 3), (None, 0))),
        FactorSpec(
            factor=Factor.UTILISATION,
            bands=_bands(("80", 5), ("90", 3), ("100", 1), (None, 0)),
            missing=2,
        ),
        FactorSpec(
            factor=Factor.OVERDUE_SHARE,
            bands=_bands(("0", 10), ("10", 7), ("25", 4), ("50", 1), (None, 0)),
        ),
        FactorSpec(
            factor=Factor.PAYMENT_TREND,
            bands=_bands(("-1", 5), ("1", 3), ("10", 1), (None, 0)),
            missing=3,
        ),
        FactorSpec(
            factor=Factor.TENURE_MONTHS,
            bands=_bands(("6", 0), ("24", 2), ("60", 4), (None, 5)),
        ),
        FactorSpec(
            factor=Factor.YEARS_TRADING,
            bands=_bands(("1", 0), ("3", 2), ("10", 4), (None, 5)),
            missing=1,
        ),
        FactorSpec(
            factor=Factor.EQUITY_TO_LIMIT,
            bands=_bands(("1", 0), ("3", 2), ("10", 4), (None, 5)),
            missing=1,
        ),
        FactorSpec(
            factor=Factor.EXTERNAL_RATING,
            bands=_bands(("2", 5), ("4", 4), ("6", 2), ("7", 1), (None, 0)),
            missing=2,
        ),
    ],
    grades=[
        GradeFloor(grade=Grade.A, min_score=80),
        GradeFloor(grade=Grade.B, min_score=65),
        GradeFloor(grade=Grade.C, min_score=50),
        GradeFloor(grade=Grade.D, min_score=35),
        GradeFloor(grade=Grade.E, min_score=0),
    ],
)
