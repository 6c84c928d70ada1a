"""What a credit review proposes, by rules kept as data: the first rule whose conditions held in
each of its last `for_months` months proposes its change of limit, class or hold. Pure: the facts
of each month come from the reviews kept (models/credit/reviews.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from pydantic import ConfigDict, model_validator
from sqlmodel import Field, SQLModel

from models.credit.scorecard import Grade
from models.fields import Line
from models.money import DecimalStr, quantize


class MonthFacts(NamedTuple):
    """One month of a customer's credit: the last review in it (a plain tuple: the monthly run
    makes one for every customer, from values a review already holds)."""

    grade: Grade
    utilisation: Decimal | None
    days_beyond_terms: Decimal | None  # weighted, invoices due in the 30 days before


class ProposalRule(SQLModel):
    """Conditions (`when_grades`, `utilisation_above`, `days_beyond_terms_above`, `for_months`)
    and the change they propose (`change_limit_pct`, `credit_class`, `hold`); nothing else."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: Line = Field(max_length=100)
    when_grades: list[Grade] = []  # empty: any grade
    utilisation_above: DecimalStr | None = Field(default=None, ge=0, le=1000)
    days_beyond_terms_above: DecimalStr | None = Field(default=None, ge=0, le=3650)
    for_months: int = Field(default=1, ge=1, le=12)
    change_limit_pct: DecimalStr | None = Field(default=None, ge=-100, le=1000)
    credit_class: Line | None = Field(default=None, max_length=32)
    hold: bool = False

    @model_validator(mode="after")
    def _proposes_something(self) -> ProposalRule:
        if self.change_limit_pct is None and self.credit_class is None and not self.hold:
            raise ValueError(f"rule {self.name!r} proposes no change")
        return self

    def holds_in(self, month: MonthFacts) -> bool:
        return (
            (not self.when_grades or month.grade in self.when_grades)
            and _above(month.utilisation, self.utilisation_above)
            and _above(month.days_beyond_terms, self.days_beyond_terms_above)
        )


def _above(value: Decimal | None, floor: Decimal | None) -> bool:
    return floor is None or (value is not None and value > floor)


class RuleSet(SQLModel):
    """The rules of one version, tried in order; each rule's name is its own."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    rules: list[ProposalRule] = Field(max_length=50)

    @model_validator(mode="after")
    def _names_unique(self) -> RuleSet:
        names = [rule.name for rule in self.rules]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"rules: the name {name!r} is given to more than one rule")
        return self


class Proposal(SQLModel):
    rule: str
    credit_limit: DecimalStr | None = None
    credit_class: str | None = None
    hold: bool = False


def propose(
    rules: list[ProposalRule], months: list[MonthFacts], limit: Decimal, currency: str
) -> Proposal | None:
    """`months` most recent first. The first rule that held long enough, or None."""
    for rule in rules:
        recent = months[: rule.for_months]
        if len(recent) < rule.for_months or not all(rule.holds_in(m) for m in recent):
            continue
        new_limit = None
        if rule.change_limit_pct is not None:
            new_limit = quantize(limit * (100 + rule.change_limit_pct) / 100, currency)
        return Proposal(
            rule=rule.name, credit_limit=new_limit, credit_class=rule.credit_class, hold=rule.hold
        )
    return None


# In force (docs/credit.md); the example first.
DEFAULT_RULES = [
    ProposalRule(
        name="steady payer near its limit",
        when_grades=[Grade.A],
        utilisation_above=Decimal(80),
        for_months=3,
        change_limit_pct=Decimal(20),
    ),
    ProposalRule(
        name="pays late three months running",
        days_beyond_terms_above=Decimal(15),
        for_months=3,
        change_limit_pct=Decimal(-25),
        hold=True,
    ),
]
