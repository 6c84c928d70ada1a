"""The authors of the revision waiting for approval, checked before an approval reaches the
order's workflow (models/sales/approval_duties.py holds the rule)."""

from __future__ import annotations

from sqlmodel import Session, select

from models.sales.approval_duties import check_not_an_author
from models.sales.orders import OrderRevision, SalesOrder


def check_may_approve(session: Session, order_id: int, user: str) -> None:
    """An order that does not exist is left for the workflow's own answer."""
    order = session.get(SalesOrder, order_id)
    if order is None:
        return
    # The revision before the current one was kept by the amendment that made the current one.
    amendment = session.exec(
        select(OrderRevision).where(
            OrderRevision.order_id == order_id, OrderRevision.revision == order.revision - 1
        )
    ).first()
    check_not_an_author(user, order.created_by, amendment.amended_by if amendment else None)
