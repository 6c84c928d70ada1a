"""Saved scorecard versions: the newest a credit manager saved is in force; older ones stay so
that a past score can be explained by the version that made it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.base import timestamp_field
from models.credit.scorecard import FactorSpec, GradeFloor, ScorecardSpec
from models.fields import Line


class CreditScorecard(SQLModel, table=True):
    __tablename__ = "credit_scorecard"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    rules: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=64)
    created_at: datetime = timestamp_field()


class ScorecardCreate(ScorecardSpec):
    """A version's rules and its name; weights that do not sum to 100 are refused (422)."""

    name: Line = Field(max_length=100)


class ScorecardPublic(SQLModel):
    id: int | None
    name: str
    factors: list[FactorSpec]
    grades: list[GradeFloor]
    created_by: str
    created_at: datetime | None
    in_force: bool = False
