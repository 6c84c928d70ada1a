"""Credit alerts: a customer crossing 80 % or 100 % utilisation, or its grade dropping, is
mailed to the credit managers once per crossing. Each customer's last alerted band and grade
are kept; a crossing back down resets the band, so the next crossing up alerts again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.credit.scorecard import Grade

ALERT_DIGEST_ABOVE = 5  # the default of O2C_CREDIT_ALERT_DIGEST_ABOVE


class UtilisationBand(StrEnum):
    BELOW_80 = "below_80"
    FROM_80 = "80_to_100"
    ABOVE_100 = "above_100"


BAND_ORDER = list(UtilisationBand)


class AlertKind(StrEnum):
    UTILISATION_80 = "utilisation_80"
    UTILISATION_100 = "utilisation_100"
    GRADE_DROP = "grade_drop"


class CreditAlertState(SQLModel, table=True):
    """What the credit managers were last told of a customer."""

    __tablename__ = "credit_alert_state"
    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    band: UtilisationBand = Field(default=UtilisationBand.BELOW_80, max_length=16)
    grade: Grade | None = Field(default=None, max_length=1)
    updated_on: date | None = None


class AlertRunInput(SQLModel):
    on: date
    digest_above: int


def band_of(exposure: Decimal, credit_limit: Decimal) -> UtilisationBand:
    if credit_limit <= 0:
        return UtilisationBand.BELOW_80
    if exposure > credit_limit:
        return UtilisationBand.ABOVE_100
    if exposure * 100 >= credit_limit * 80:
        return UtilisationBand.FROM_80
    return UtilisationBand.BELOW_80


def crossings(
    before: UtilisationBand, after: UtilisationBand, was: Grade | None, now: Grade | None
) -> list[AlertKind]:
    """The crossings upward from `before` to `after`, and a grade worse than the one last told."""
    found = []
    rank_before, rank_after = BAND_ORDER.index(before), BAND_ORDER.index(after)
    if rank_before < 1 <= rank_after:
        found.append(AlertKind.UTILISATION_80)
    if rank_before < 2 <= rank_after:
        found.append(AlertKind.UTILISATION_100)
    if was is not None and now is not None and now > was:
        found.append(AlertKind.GRADE_DROP)
    return found
