"""A customer's credit as the credit pages show it: the API's credit position with how much of
the limit is used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from activities.master_data.customers import get_customer
from activities.sales.credit import customer_credit
from api.pages.i18n import N_
from models.master_data.customers import Customer, CustomerCredit

PERCENT = Decimal("0.1")
# The words for a credit status and a hold's outcome, as the credit pages show them.
STATES: dict[str, str] = {
    "ok": N_("within the limit"),
    "hold": N_("over the limit"),
    "blocked": N_("blocked: overdue"),
    "open": N_("open"),
    "released": N_("released"),
    "cancelled": N_("cancelled"),
    "amended": N_("amended"),
}


@dataclass(frozen=True)
class CreditPosition:
    customer: Customer
    credit: CustomerCredit

    @property
    def utilisation(self) -> Decimal | None:
        """Exposure as a percent of the limit, one decimal; None without a limit."""
        if self.credit.credit_limit <= 0:
            return None
        return (self.credit.exposure * 100 / self.credit.credit_limit).quantize(PERCENT)


def credit_position(session: Session, customer_id: int, today: date) -> CreditPosition:
    """`GET /customers/{id}/credit` with the customer beside it."""
    customer = get_customer(session, customer_id)
    return CreditPosition(customer, customer_credit(session, customer_id, today))
