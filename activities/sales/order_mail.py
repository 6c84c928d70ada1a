"""E-mails to staff about an order: approvers when a decision waits (and reminders, escalations),
the sales rep when a timer stopped their order. Queued in the outbox in the step's transaction;
the workflow sends each with `deliver_email`."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from activities.master_data.customers import get_customer
from models.sales.orders import SalesOrder
from models.security.users import User
from notifications.outbox import mail_staff


def staff(session: Session, role: str | None, username: str | None) -> list[User]:
    """Active users with the role (or the one named user) who have an e-mail address."""
    query = select(User).where(col(User.active), col(User.email).is_not(None))
    if username is not None:
        query = query.where(User.username == username)
    users = session.exec(query.order_by(col(User.id))).all()
    return [u for u in users if username is not None or (role and role in u.roles.split(","))]


def _context(session: Session, order: SalesOrder, **extra: Any) -> dict[str, Any]:
    customer = get_customer(session, order.customer_id)
    return {
        "order": {
            "number": order.number,
            "total": str(order.total),
            "currency": order.currency,
            "created_by": order.created_by,
        },
        "customer": {"name": customer.name, "code": customer.code},
        **extra,
    }


def mail_users(
    session: Session,
    users: list[User],
    *,
    key: str,
    template: str,
    order: SalesOrder,
    **extra: Any,
) -> list[int]:
    context = _context(session, order, **extra)
    return mail_staff(session, users, key=key, template=template, context=context)


def mail_rep(session: Session, order: SalesOrder, *, key: str, reason: str) -> list[int]:
    """Tell the rep who entered the order that it was stopped, and why."""
    reps = staff(session, None, order.created_by)
    return mail_users(session, reps, key=key, template="order_stopped", order=order, reason=reason)
