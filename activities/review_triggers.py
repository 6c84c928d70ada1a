"""The events that start a customer's credit review at once (models/credit/review_triggers.py),
queued through the workflow outbox in the transaction that records them. They are raised by
sales (an order's credit decision) and receivables (payments), areas upstream of `credit`, so
they live beside the workflow outbox rather than in the credit area."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from activities.workflow_outbox import queue_credit_review
from models.credit.review_triggers import days_late, over_utilised
from models.credit.reviews import ReviewTrigger
from models.receivables.invoices import Invoice


def review_late_payment(
    session: Session,
    *,
    customer_id: int,
    payment_id: int,
    settled: list[Invoice],
    received_on: date,
    late_days: int,
) -> None:
    """A payment that settles an invoice more than `late_days` after its due date."""
    if any(days_late(invoice.due_date, received_on) > late_days for invoice in settled):
        queue_credit_review(
            session,
            customer_id=customer_id,
            trigger=ReviewTrigger.LATE_PAYMENT,
            because=f"payment-{payment_id}",
        )


def review_reversed_payment(session: Session, *, customer_id: int, payment_id: int) -> None:
    queue_credit_review(
        session,
        customer_id=customer_id,
        trigger=ReviewTrigger.PAYMENT_REVERSED,
        because=f"payment-{payment_id}/reversal",
    )


def review_high_utilisation(
    session: Session, *, customer_id: int, exposure: Decimal, credit_limit: Decimal, on: date
) -> None:
    """Exposure over 90 % of the limit once an order is let through: one review a day at most."""
    if over_utilised(exposure, credit_limit):
        queue_credit_review(
            session,
            customer_id=customer_id,
            trigger=ReviewTrigger.UTILISATION,
            because=f"utilisation-{on.isoformat()}",
        )
