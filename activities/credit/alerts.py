"""The daily credit alert run: each active customer's utilisation band and latest grade against
what the credit managers were last told (models/credit/alerts.py); one mail per crossing to each
credit manager, or one digest listing them all when there are more than `digest_above`."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from activities.sales.credit import customer_credit
from activities.sales.order_mail import staff
from models.credit.alerts import AlertRunInput, CreditAlertState, band_of, crossings
from models.credit.reviews import CreditReview
from models.credit.scorecard import Grade
from models.master_data.customers import Customer, CustomerStatus
from models.outbox import OutboxMessage, OutboxState
from models.sales.messages import MailsQueued
from models.security.users import Role
from notifications.outbox import mail_staff


def _latest_grade(session: Session, customer_id: int) -> Grade | None:
    found = session.exec(
        select(CreditReview.grade)
        .where(CreditReview.customer_id == customer_id)
        .order_by(col(CreditReview.as_of).desc(), col(CreditReview.id).desc())
    ).first()
    return None if found is None else Grade(found)


def _new_crossings(session: Session, data: AlertRunInput) -> list[dict[str, Any]]:
    """Every crossing since the last run; the state kept moves to what is seen now."""
    found = []
    customers = session.exec(
        select(Customer).where(Customer.status == CustomerStatus.ACTIVE).order_by(col(Customer.id))
    ).all()
    for customer in customers:
        customer_id = customer.id or 0
        credit = customer_credit(session, customer_id, data.on)
        band = band_of(credit.exposure, credit.credit_limit)
        grade = _latest_grade(session, customer_id)
        state = session.get(CreditAlertState, customer_id) or CreditAlertState(
            customer_id=customer_id
        )
        for kind in crossings(state.band, band, state.grade, grade):
            found.append(
                {
                    "customer_id": customer_id,
                    "code": customer.code,
                    "name": customer.name,
                    "kind": kind.value,
                    "grade_before": state.grade,
                    "grade": grade,
                    "exposure": str(credit.exposure),
                    "credit_limit": str(credit.credit_limit),
                    "currency": customer.currency,
                }
            )
        if (state.band, state.grade) != (band, grade or state.grade):
            state.band, state.grade, state.updated_on = band, grade or state.grade, data.on
            session.add(state)
    return found


def send_credit_alerts(session: Session, data: AlertRunInput) -> MailsQueued:
    alerts = _new_crossings(session, data)
    day = data.on.isoformat()
    if len(alerts) > data.digest_above:
        batches = [(f"credit-alerts/{day}/digest", alerts)]
    else:
        batches = [
            (f"credit-alerts/{day}/customer-{a['customer_id']}/{a['kind']}", [a]) for a in alerts
        ]
    for key, listed in batches:
        mail_staff(
            session,
            staff(session, Role.CREDIT_MANAGER, None),
            key=key,
            template="credit_alert",
            context={"alerts": listed, "on": day},
        )
    session.flush()
    unsent = select(OutboxMessage.id).where(
        col(OutboxMessage.key).startswith("credit-alerts/"),
        OutboxMessage.state == OutboxState.PENDING,
    )
    return MailsQueued(outbox_ids=[i for i in session.exec(unsent).all() if i])
