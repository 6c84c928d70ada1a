"""Dunning terms as data (a policy's levels, fees, interest, pauses) and the pure maths of the
ladder: when each step falls, what fee and interest a level charges. Table-free: the collection
workflow plans and times its steps with it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field, model_validator

from models.fields import Count
from models.money import ZERO, Amount, DecimalStr, quantize

DAYS_PER_YEAR = Decimal(365)
TEMPLATE_PATTERN = r"^[a-z0-9_]+$"


class DunningLevelSpec(BaseModel):
    """One rung of the ladder: reached `days_past_due` days after the due date."""

    level: Count = Field(ge=1, le=20)
    days_past_due: Count = Field(ge=1, le=3650)
    fee_fixed: Amount = Field(default=ZERO, ge=0)
    fee_pct: DecimalStr = Field(default=ZERO, ge=0, le=100)
    annual_interest_rate: DecimalStr = Field(default=ZERO, ge=0, le=1)
    template: str = Field(default="dunning_letter", max_length=64, pattern=TEMPLATE_PATTERN)
    credit_hold: bool = False
    escalate: bool = False


class DunningTerms(BaseModel):
    """Everything a policy decides, as the API and the workflow see it."""

    reminder_days_before_due: Count | None = Field(default=3, ge=0, le=365)
    levels: list[DunningLevelSpec] = Field(min_length=1, max_length=20)
    min_outstanding: Amount = Field(default=Decimal("5.00"), ge=0)
    run_at: time = time(6, 0)
    promise_grace_days: Count = Field(default=3, ge=0, le=90)
    task_remind_after_hours: Count = Field(default=24, ge=1, le=24 * 90)
    task_escalate_after_hours: Count = Field(default=72, ge=1, le=24 * 180)
    write_off_after_days: Count | None = Field(default=90, ge=1, le=3650)

    @model_validator(mode="after")
    def _levels_rise(self) -> DunningTerms:
        numbers = [lvl.level for lvl in self.levels]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("levels are numbered 1, 2, 3, ... in order")
        days = [lvl.days_past_due for lvl in self.levels]
        if days != sorted(set(days)):
            raise ValueError("each level falls more days past due than the one before")
        if self.task_escalate_after_hours <= self.task_remind_after_hours:
            raise ValueError("task_escalate_after_hours must come after task_remind_after_hours")
        return self


DEFAULT_TERMS = DunningTerms(
    levels=[
        DunningLevelSpec(level=1, days_past_due=7, template="dunning_friendly"),
        DunningLevelSpec(
            level=2,
            days_past_due=21,
            fee_fixed=Decimal("10.00"),
            annual_interest_rate=Decimal("0.08"),
            template="dunning_firm",
            credit_hold=True,
        ),
        DunningLevelSpec(
            level=3,
            days_past_due=45,
            fee_pct=Decimal("2"),
            annual_interest_rate=Decimal("0.08"),
            template="dunning_final",
            credit_hold=True,
            escalate=True,
        ),
    ]
)


def fee_for(level: DunningLevelSpec, outstanding: Decimal, currency: str = "USD") -> Decimal:
    """A fixed fee, or a percentage of what is outstanding (both add when both are set)."""
    return quantize(level.fee_fixed + outstanding * level.fee_pct / 100, currency)


def interest_for(
    outstanding: Decimal, annual_rate: Decimal, days: int, currency: str = "USD"
) -> Decimal:
    """Outstanding x annual rate x days / 365, half-up to the minor unit; never negative."""
    if days <= 0 or outstanding <= 0:
        return quantize(ZERO, currency)
    return quantize(outstanding * annual_rate * days / DAYS_PER_YEAR, currency)


class PlannedStep(BaseModel):
    """A step of one invoice's ladder: level 0 is the reminder `days` before the due date
    (days negative); level n falls `days` after it."""

    level: int
    days: int
    spec: DunningLevelSpec | None = None
    last: bool = False


def ladder(terms: DunningTerms) -> list[PlannedStep]:
    steps: list[PlannedStep] = []
    if terms.reminder_days_before_due is not None:
        steps.append(PlannedStep(level=0, days=-terms.reminder_days_before_due))
    for spec in terms.levels:
        last = spec.level == len(terms.levels)
        steps.append(PlannedStep(level=spec.level, days=spec.days_past_due, spec=spec, last=last))
    return steps


def step_moment(due_date: date, days: int, run_at: time, paused: timedelta) -> datetime:
    """When a step is taken: its day relative to the due date at the policy's hour (UTC),
    later by however long the invoice's dunning was paused by a dispute."""
    return datetime.combine(due_date + timedelta(days=days), run_at, tzinfo=UTC) + paused


def days_past_due(due_date: date, on: date, paused: timedelta) -> int:
    """Calendar days past the due date, not counting days spent in dispute (to the nearest
    whole day: a dispute from 09:00 on the 5th to 08:59 on the 20th took 15 days)."""
    return max(0, (on - due_date).days - round(paused / timedelta(days=1)))
