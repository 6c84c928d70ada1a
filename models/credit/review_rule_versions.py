"""Saved versions of the credit review rules: the newest is in force from the moment it is saved;
older ones stay so that a past proposal can be explained by the version that made it. Version 1
is the built-in `DEFAULT_RULES`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.base import timestamp_field
from models.credit.review_rules import ProposalRule, RuleSet

FIRST_VERSION = 1


class CreditReviewRules(SQLModel, table=True):
    __tablename__ = "credit_review_rules"
    version: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    rules: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=64)
    created_at: datetime = timestamp_field()


class ReviewRulesCreate(RuleSet):
    """A new version's rules, tried in order; a malformed rule is refused (422)."""


class ReviewRulesPublic(SQLModel):
    version: int
    rules: list[ProposalRule]
    created_by: str
    created_at: datetime | None
    in_force: bool = False
