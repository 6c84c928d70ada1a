"""Writes and reads the history of a customer's credit terms (models/credit/history.py): called
wherever a limit, class or hold changes, so no change goes unrecorded."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, col, select

from activities.paging import page
from models.credit.history import ChangeSource, CreditChange, CreditChangePublic, CreditTerm
from models.master_data.customers import Customer, CustomerPublic
from models.money import quantize


def _shown(value: object, currency: str) -> str:
    return str(quantize(value, currency)) if isinstance(value, Decimal) else str(value)


def record_credit_change(
    session: Session,
    customer: Customer | CustomerPublic,
    term: CreditTerm,
    before: object,
    after: object,
    *,
    source: ChangeSource,
    changed_by: str,
    reason: str | None = None,
    approved_by: str | None = None,
    review_id: int | None = None,
) -> None:
    """Nothing when the term did not change; amounts in the customer's currency units."""
    if before == after:
        return
    session.add(
        CreditChange(
            customer_id=customer.id or 0,
            term=term,
            before=_shown(before, customer.currency),
            after=_shown(after, customer.currency),
            source=source,
            reason=reason,
            changed_by=changed_by,
            approved_by=approved_by,
            review_id=review_id,
        )
    )


def credit_history(
    session: Session, customer_id: int, limit: int, offset: int
) -> tuple[list[CreditChangePublic], int]:
    """Newest first."""
    query = (
        select(CreditChange)
        .where(CreditChange.customer_id == customer_id)
        .order_by(col(CreditChange.id).desc())
    )
    rows, total = page(session, query, limit, offset)
    return [CreditChangePublic.model_validate(row) for row in rows], total
