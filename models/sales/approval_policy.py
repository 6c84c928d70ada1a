"""The approval policy as data: ordered levels, each required when one of its rules fires (order
total, largest discount, a price override, the customer's credit situation), each with its
approver (a role or a user) and its reminder, escalation and expiry times. The newest policy an
admin saved is the one in force; an order takes the levels it needs when it asks for approval."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.base import timestamp_field
from models.fields import Line, Wait
from models.master_data.customers import CreditStatus
from models.money import Amount, DecimalStr
from models.security.users import Role


class ApprovalLevelSpec(SQLModel):
    """One level of the policy. With no rule set the level is always required."""

    name: Line = Field(max_length=100)
    role: Role | None = None
    user: Line | None = Field(default=None, max_length=64)
    when_total_above: Amount | None = Field(default=None, ge=0)
    when_discount_above: DecimalStr | None = Field(default=None, ge=0, le=100)
    when_price_override: bool = False
    when_credit_status: list[CreditStatus] = []
    remind_after: Wait | None = None
    escalate_after: Wait | None = None
    escalate_to: Role | None = None
    expire_after: Wait | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ApprovalLevelSpec:
        if (self.role is None) == (self.user is None):
            raise ValueError(f"level {self.name!r}: name either a role or a user")
        for label in ("remind_after", "escalate_after", "expire_after"):
            value = getattr(self, label)
            if value is not None and value <= timedelta(0):
                raise ValueError(f"level {self.name!r}: {label} must be positive")
        if (self.escalate_after is None) != (self.escalate_to is None):
            raise ValueError(f"level {self.name!r}: escalate_after and escalate_to go together")
        if self.escalate_to is not None and self.escalate_to == self.role:
            raise ValueError(f"level {self.name!r} escalates to its own role {self.role}")
        return self

    @property
    def unconditional(self) -> bool:
        return (
            self.when_total_above is None
            and self.when_discount_above is None
            and not self.when_price_override
            and not self.when_credit_status
        )


class OrderFacts(SQLModel):
    """What the policy's rules look at."""

    total: Decimal
    largest_discount_pct: Decimal
    price_overridden: bool
    credit_status: CreditStatus


def level_applies(level: ApprovalLevelSpec, facts: OrderFacts) -> bool:
    if level.unconditional:
        return True
    return (
        (level.when_total_above is not None and facts.total > level.when_total_above)
        or (
            level.when_discount_above is not None
            and facts.largest_discount_pct > level.when_discount_above
        )
        or (level.when_price_override and facts.price_overridden)
        or facts.credit_status in level.when_credit_status
    )


def required_levels(
    levels: list[ApprovalLevelSpec], facts: OrderFacts
) -> list[tuple[int, ApprovalLevelSpec]]:
    """The levels this order needs, in policy order, numbered by their place in the policy."""
    return [(n, level) for n, level in enumerate(levels, start=1) if level_applies(level, facts)]


# In force while no admin has saved a policy: one approver decides every order.
DEFAULT_LEVELS = [ApprovalLevelSpec(name="approver", role=Role.APPROVER)]


class ApprovalPolicy(SQLModel, table=True):
    __tablename__ = "approval_policy"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    levels: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=64)
    created_at: datetime = timestamp_field()


class ApprovalPolicyCreate(SQLModel):
    name: Line = Field(max_length=100)
    levels: list[ApprovalLevelSpec] = Field(max_length=20)


class ApprovalPolicyPublic(SQLModel):
    id: int | None
    name: str
    levels: list[ApprovalLevelSpec]
    created_by: str
    created_at: datetime | None
    in_force: bool = False
