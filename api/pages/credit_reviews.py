"""The credit manager's review queue: open proposals (`GET /credit-reviews?status=open`), each
with its customer, the limit, class and hold it was made for and those it proposes, the rule
that proposed it and how long it has waited; answered in api/pages/credit_review_answers.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from sqlmodel import Session, col, select

from activities.credit.reviews import list_reviews
from api.deps import DatabaseDep
from api.pages.access import CREDIT_REVIEWS
from api.pages.screens import Screen, screen_of
from models.credit.reviews import CreditReviewPublic, ReviewStatus
from models.fields import MAX_ID
from models.master_data.customers import Customer

router = APIRouter()
PAGE_SIZE = 50


@dataclass(frozen=True)
class OpenProposal:
    review: CreditReviewPublic
    customer: str
    currency: str
    age_days: int


def open_proposals(session: Session, offset: int, today: date) -> tuple[list[OpenProposal], int]:
    """Newest first, with each customer's name and currency read at once."""
    found, total = list_reviews(session, ReviewStatus.OPEN, None, PAGE_SIZE, offset)
    ids = {review.customer_id for review in found}
    query = select(Customer.id, Customer.name, Customer.currency)
    customers = (
        {
            id_: (name, currency)
            for id_, name, currency in session.exec(query.where(col(Customer.id).in_(list(ids))))
        }
        if ids
        else {}
    )
    rows = [
        OpenProposal(
            review,
            *customers[review.customer_id],
            age_days=(today - review.created_at.date()).days,
        )
        for review in found
    ]
    return rows, total


@router.get("/credit/reviews", response_class=HTMLResponse)
async def credit_reviews(
    db: DatabaseDep,
    screen: Annotated[Screen, Depends(screen_of(CREDIT_REVIEWS))],
    offset: int = 0,
) -> HTMLResponse:
    offset = min(max(offset, 0), MAX_ID)
    rows, total = await db.run(open_proposals, offset, date.today())
    context = {"rows": rows, "total": total, "offset": offset, "page_size": PAGE_SIZE}
    return screen.show("app/credit_reviews.html", context)
