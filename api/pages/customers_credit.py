"""A customer's credit page: limit, exposure, how much of the limit is used, what is overdue,
the score with each factor's points (`GET /customers/{id}/credit-profile`), the credit history
for those the API lets read it, and the credit holds of its recent orders (why, how each ended)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from activities.credit.profile import credit_profile
from activities.master_data.credit_history import credit_history
from activities.sales import orders
from activities.sales.credit import holds_of
from api.deps import DatabaseDep
from api.pages.access import CUSTOMERS, Page
from api.pages.credit_figures import STATES, CreditPosition, credit_position
from api.pages.credit_labels import FACTORS, SOURCES, TERMS
from api.pages.i18n import N_
from api.pages.screens import Screen, screen_of
from models.credit.history import CreditChangePublic
from models.credit.profile import CreditProfile
from models.fields import IdParam
from models.sales.credit_policy import CreditHoldPublic
from models.security.users import Role

router = APIRouter()
RECENT_ORDERS = 50
RECENT_CHANGES = 50
# As `GET /customers/{id}/credit-history`: not sales or collectors.
HISTORY_READERS = Page(
    "credit-history",
    "/app/customers",
    N_("Credit history"),
    frozenset({Role.CREDIT_MANAGER, Role.FINANCE, Role.APPROVER, Role.AUDITOR}),
)


@dataclass(frozen=True)
class OrderHold:
    number: str
    hold: CreditHoldPublic


@dataclass(frozen=True)
class CreditPage:
    position: CreditPosition
    profile: CreditProfile
    history: list[CreditChangePublic] | None  # None: not for this reader
    holds: list[OrderHold]


def credit_page(session: Session, customer_id: int, today: date, with_history: bool) -> CreditPage:
    """`GET /customers/{id}/credit` and `/credit-profile`, the latest changes of the credit
    history, and the holds of the customer's recent orders, newest first."""
    position = credit_position(session, customer_id, today)
    profile = credit_profile(session, customer_id, today)
    history = None
    if with_history:
        history, _ = credit_history(session, customer_id, RECENT_CHANGES, 0)
    recent, _ = orders.list_orders(session, RECENT_ORDERS, 0, customer_id=customer_id)
    holds = [
        OrderHold(order.number, hold)
        for order in recent
        for hold in reversed(holds_of(session, order.id))
    ]
    return CreditPage(position, profile, history, holds)


@router.get("/customers/{customer_id}/credit", response_class=HTMLResponse)
async def customer_credit(
    customer_id: IdParam, db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(CUSTOMERS))]
) -> HTMLResponse:
    with_history = HISTORY_READERS.allows(screen.user)
    page = await db.run(credit_page, customer_id, date.today(), with_history)
    customer = page.position.customer
    context = {
        "page": page,
        "customer": customer,
        "credit": page.position.credit,
        "currency": customer.currency,
        "states": STATES,
        "factors": FACTORS,
        "terms": TERMS,
        "sources": SOURCES,
    }
    return screen.show("app/customers_credit.html", context)
