"""A customer's credit page: limit, exposure, how much of the limit is used, what is overdue,
and the credit holds of its recent orders (why, and how each ended)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from activities.sales import orders
from activities.sales.credit import holds_of
from api.deps import DatabaseDep
from api.pages.access import CUSTOMERS
from api.pages.credit_figures import STATES, CreditPosition, credit_position
from api.pages.screens import Screen, screen_of
from models.fields import IdParam
from models.sales.credit_policy import CreditHoldPublic

router = APIRouter()
RECENT_ORDERS = 50


@dataclass(frozen=True)
class OrderHold:
    number: str
    hold: CreditHoldPublic


@dataclass(frozen=True)
class CreditPage:
    position: CreditPosition
    holds: list[OrderHold]


def credit_page(session: Session, customer_id: int, today: date) -> CreditPage:
    """`GET /customers/{id}/credit`, and the holds of the customer's recent orders, newest first."""
    position = credit_position(session, customer_id, today)
    recent, _ = orders.list_orders(session, RECENT_ORDERS, 0, customer_id=customer_id)
    holds = [
        OrderHold(order.number, hold)
        for order in recent
        for hold in reversed(holds_of(session, order.id))
    ]
    return CreditPage(position, holds)


@router.get("/customers/{customer_id}/credit", response_class=HTMLResponse)
async def customer_credit(
    customer_id: IdParam, db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(CUSTOMERS))]
) -> HTMLResponse:
    page = await db.run(credit_page, customer_id, date.today())
    customer = page.position.customer
    context = {
        "page": page,
        "customer": customer,
        "credit": page.position.credit,
        "currency": customer.currency,
        "states": STATES,
    }
    return screen.show("app/customers_credit.html", context)
