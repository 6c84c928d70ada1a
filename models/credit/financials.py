"""A customer's financial situation as a credit manager records it: annual revenue, equity, years
trading and an external rating, each with the date it is as of and where it came from."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.numbers import list_currencies
from pydantic import field_validator
from sqlmodel import Field, SQLModel

from models.base import money_field, timestamp_field
from models.credit.scorecard import RATING_SCALE
from models.fields import Count, Day, Line
from models.money import Amount

KNOWN_CURRENCIES = frozenset(list_currencies())


def not_in_future(value: date) -> date:
    if value > date.today():
        raise ValueError("may not lie in the future")
    return value


class Sourced(SQLModel):
    """When a figure is as of and where it came from (audited accounts, a rating agency...)."""

    as_of: Day
    source: Line = Field(max_length=100)

    @field_validator("as_of")
    @classmethod
    def _past(cls, value: date) -> date:
        return not_in_future(value)


class MoneyFigure(Sourced):
    value: Amount = Field(ge=0)


class YearsFigure(Sourced):
    value: Count = Field(le=1000)


class RatingFigure(Sourced):
    value: Line = Field(max_length=4)

    @field_validator("value")
    @classmethod
    def _on_scale(cls, value: str) -> str:
        if value.upper() not in RATING_SCALE:
            raise ValueError(f"must be one of {', '.join(RATING_SCALE)}")
        return value.upper()


class FinancialsUpdate(SQLModel):
    """The PUT body: what is left out is unknown (it replaces what was recorded)."""

    currency: str = Field(min_length=3, max_length=3)
    annual_revenue: MoneyFigure | None = None
    equity: MoneyFigure | None = None
    years_trading: YearsFigure | None = None
    external_rating: RatingFigure | None = None

    @field_validator("currency")
    @classmethod
    def _known(cls, value: str) -> str:
        if value.upper() not in KNOWN_CURRENCIES:
            raise ValueError(f"unknown currency {value!r}")
        return value.upper()


class CustomerFinancials(SQLModel, table=True):
    __tablename__ = "customer_financials"
    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    currency: str = Field(max_length=3)
    annual_revenue: Decimal | None = money_field(default=None)
    annual_revenue_as_of: date | None = None
    annual_revenue_source: str | None = Field(default=None, max_length=100)
    equity: Decimal | None = money_field(default=None)
    equity_as_of: date | None = None
    equity_source: str | None = Field(default=None, max_length=100)
    years_trading: int | None = None
    years_trading_as_of: date | None = None
    years_trading_source: str | None = Field(default=None, max_length=100)
    external_rating: str | None = Field(default=None, max_length=4)
    external_rating_as_of: date | None = None
    external_rating_source: str | None = Field(default=None, max_length=100)
    recorded_by: str = Field(max_length=64)
    recorded_at: datetime = timestamp_field()


FIGURES = ("annual_revenue", "equity", "years_trading", "external_rating")


class FinancialsPublic(FinancialsUpdate):
    customer_id: int
    recorded_by: str
    recorded_at: datetime

    @classmethod
    def of(cls, row: CustomerFinancials) -> FinancialsPublic:
        figures = {
            name: {
                "value": getattr(row, name),
                "as_of": getattr(row, f"{name}_as_of"),
                "source": getattr(row, f"{name}_source"),
            }
            for name in FIGURES
            if getattr(row, name) is not None
        }
        return cls.model_validate(
            {
                "customer_id": row.customer_id,
                "currency": row.currency,
                "recorded_by": row.recorded_by,
                "recorded_at": row.recorded_at,
                **figures,
            }
        )
