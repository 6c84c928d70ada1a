"""A customer's credit profile: the behaviour o2c sees over 12 months beside the financials a
credit manager recorded, turned into the scorecard's inputs and its score."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel
from sqlmodel import SQLModel

from models.credit.financials import FinancialsPublic
from models.credit.scorecard import Factor, Score, ScoreInputs, rating_rank
from models.money import Amount, DecimalStr

# A change of the days beyond terms within this many days either way is steady.
STEADY_DAYS = Decimal(1)


class PaymentTrend(StrEnum):
    IMPROVING = "improving"
    STEADY = "steady"
    WORSENING = "worsening"
    UNKNOWN = "unknown"


def trend_of(change: Decimal | None) -> PaymentTrend:
    if change is None:
        return PaymentTrend.UNKNOWN
    if change < -STEADY_DAYS:
        return PaymentTrend.IMPROVING
    if change > STEADY_DAYS:
        return PaymentTrend.WORSENING
    return PaymentTrend.STEADY


class Behaviour(BaseModel):
    """What o2c saw of the customer over the 12 months before `as_of`. Days and shares are None
    while no invoice fell due in the window."""

    invoices_due: int = 0
    average_days_beyond_terms: DecimalStr | None = None
    weighted_days_beyond_terms: DecimalStr | None = None
    month_days_beyond_terms: DecimalStr | None = None  # invoices due in the last 30 days
    late_share: DecimalStr | None = None  # % of invoices due that were paid late or are overdue
    highest_dunning_level: int = 0
    promises_kept: int = 0
    promises_broken: int = 0
    disputes_opened: int = 0
    disputes_lost: int = 0  # resolved without a credit on the invoice
    credit_limit: Amount = Decimal(0)
    exposure: Amount = Decimal(0)
    utilisation: DecimalStr | None = None  # % of the limit; None with no limit
    open_receivables: Amount = Decimal(0)
    overdue: Amount = Decimal(0)
    overdue_share: DecimalStr = Decimal(0)  # % of open receivables
    trend_days: DecimalStr | None = None  # last 3 months' weighted days minus the 9 before
    payment_trend: PaymentTrend = PaymentTrend.UNKNOWN
    tenure_months: int = 0


class BehaviourFacts(NamedTuple):
    """A `Behaviour`'s values, field for field and in its order, as the monthly run makes them
    for every customer (a tuple made in a microsecond; the model, even built without validation,
    took 6 to 14); `behaviour` makes the model of them. Read like the model (`score_inputs`,
    a review)."""

    invoices_due: int
    average_days_beyond_terms: Decimal | None
    weighted_days_beyond_terms: Decimal | None
    month_days_beyond_terms: Decimal | None
    late_share: Decimal | None
    highest_dunning_level: int
    promises_kept: int
    promises_broken: int
    disputes_opened: int
    disputes_lost: int
    credit_limit: Decimal
    exposure: Decimal
    utilisation: Decimal | None
    open_receivables: Decimal
    overdue: Decimal
    overdue_share: Decimal
    trend_days: Decimal | None
    payment_trend: PaymentTrend
    tenure_months: int

    def behaviour(self) -> Behaviour:
        """The model, without validation: the values are the ones it would validate to."""
        return Behaviour.model_construct(**self._asdict())


def score_inputs(
    behaviour: Behaviour | BehaviourFacts, financials: FinancialsPublic | None, currency: str
) -> ScoreInputs:
    """The scorecard's inputs from the profile; unknown ones stay None (equity against the limit
    only when both are in the customer's currency)."""
    equity_to_limit = None
    years_trading = None
    rating = None
    if financials is not None:
        same_currency = financials.currency == currency
        if financials.equity is not None and behaviour.credit_limit > 0 and same_currency:
            equity_to_limit = round(financials.equity.value / behaviour.credit_limit, 2)
        if financials.years_trading is not None:
            years_trading = Decimal(financials.years_trading.value)
        if financials.external_rating is not None:
            rating = Decimal(rating_rank(financials.external_rating.value))
    return dict(
        zip(
            _IN_ORDER,
            (
                behaviour.weighted_days_beyond_terms,
                behaviour.late_share,
                Decimal(behaviour.highest_dunning_level),
                Decimal(behaviour.promises_broken),
                Decimal(behaviour.disputes_lost),
                behaviour.utilisation,
                behaviour.overdue_share,
                behaviour.trend_days,
                Decimal(behaviour.tenure_months),
                years_trading,
                equity_to_limit,
                rating,
            ),
            strict=True,
        )
    )


# The factors `score_inputs` gives, in its order (each looked up once, not once a customer: the
# monthly run scores thousands).
_IN_ORDER = (
    Factor.DAYS_BEYOND_TERMS,
    Factor.LATE_SHARE,
    Factor.DUNNING_LEVEL,
    Factor.BROKEN_PROMISES,
    Factor.DISPUTES_LOST,
    Factor.UTILISATION,
    Factor.OVERDUE_SHARE,
    Factor.PAYMENT_TREND,
    Factor.TENURE_MONTHS,
    Factor.YEARS_TRADING,
    Factor.EQUITY_TO_LIMIT,
    Factor.EXTERNAL_RATING,
)


class CreditProfile(SQLModel):
    customer_id: int
    credit_class: str
    currency: str
    behaviour: Behaviour
    financials: FinancialsPublic | None
    scorecard_id: int | None  # None: the default scorecard
    score: Score
