"""When an event starts a customer's credit review at once, without waiting for the month:
a payment more than `O2C_CREDIT_REVIEW_LATE_DAYS` late, a bounced payment, utilisation over
90 % after an order is let through."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

LATE_DAYS = 30  # the default of O2C_CREDIT_REVIEW_LATE_DAYS
UTILISATION_ABOVE = Decimal("90")  # % of the credit limit


def days_late(due: date, paid_on: date) -> int:
    return (paid_on - due).days


def over_utilised(exposure: Decimal, credit_limit: Decimal) -> bool:
    """Exposure above 90 % of the limit; a customer without a limit is left to the gate."""
    return credit_limit > 0 and exposure * 100 > credit_limit * UTILISATION_ABOVE
