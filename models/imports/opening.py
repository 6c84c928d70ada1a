"""An open invoice brought over from the old system (an opening balance), and the dunning level
its days past due call for when its collection starts in o2c. Table-free, pure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field, model_validator

from models.collection.dunning_terms import DunningTerms
from models.fields import Code, Line
from models.money import ZERO


class Instalment(BaseModel):
    due_date: date
    amount: Decimal


class OpeningInvoice(BaseModel):
    number: Line = Field(max_length=32)
    customer_code: Code = Field(max_length=32)
    issue_date: date
    due_date: date
    amount: Decimal = Field(gt=0)
    paid: Decimal = Field(default=ZERO, ge=0)
    currency: str = Field(min_length=3, max_length=3)
    instalments: list[Instalment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> OpeningInvoice:
        if self.due_date < self.issue_date:
            raise ValueError("due_date is before issue_date")
        if self.paid >= self.amount:
            raise ValueError("paid is not below amount: a paid invoice is not an open one")
        if self.instalments:
            if sum((i.amount for i in self.instalments), ZERO) != self.amount:
                raise ValueError("instalments do not add up to the amount")
            dues = [i.due_date for i in self.instalments]
            if dues != sorted(set(dues)) or dues[0] != self.due_date:
                raise ValueError("instalment dates must rise and the first be the due date")
        return self

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid

    @property
    def plan(self) -> list[Instalment]:
        return self.instalments or [Instalment(due_date=self.due_date, amount=self.amount)]


def start_level(terms: DunningTerms, due_date: date, on: date) -> int:
    """The highest level whose days past due have passed on `on` (0: not yet at level 1).
    Collection starts there, without the reminder and levels before it."""
    past_due = (on - due_date).days
    reached = [spec.level for spec in terms.levels if spec.days_past_due <= past_due]
    return max(reached, default=0)
