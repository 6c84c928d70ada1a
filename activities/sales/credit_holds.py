"""Ending credit holds: a credit manager's release (with its comment), a payment that makes held
orders fit again (oldest first), and the hold that waited too long (the order is cancelled)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from activities.sales.credit import (
    check_order_credit,
    close_hold,
    lock_for_credit_decision,
    open_hold_of,
)
from activities.sales.order_mail import mail_rep
from activities.sales.orders import change_status, get_order
from activities.workflow_outbox import queue_signal
from models.errors import Conflict
from models.sales.credit_policy import HoldKind, HoldOutcome
from models.sales.messages import (
    CREDIT_RELEASED_SIGNAL,
    HoldExpiryInput,
    OrderEnded,
    ReleaseInput,
    StatusChangeInput,
)
from models.sales.order_status import OrderStatus
from models.sales.orders import SalesOrder


def check_releasable(session: Session, order_id: int) -> None:
    """A blocked order is released by paying what is overdue, not by a manager's word."""
    hold = open_hold_of(session, order_id)
    if hold is not None and hold.kind == HoldKind.BLOCKED:
        raise Conflict(f"the order is blocked ({hold.reasons}); only a payment releases it")


def release_hold(session: Session, order_id: int, release: ReleaseInput, at: datetime) -> None:
    """A credit manager's release: the comment is kept on the hold and in the timeline."""
    close_hold(session, order_id, HoldOutcome.RELEASED, at, release.user, release.comment)
    change_status(
        session,
        StatusChangeInput(
            order_id=order_id,
            status=OrderStatus.PENDING_APPROVAL,
            kind="credit_released",
            at=at,
            actor=release.user,
            detail=release.comment,
        ),
    )


def release_fitting_holds(session: Session, customer_id: int, on: date, because: str) -> list[int]:
    """After a payment: every held order of the customer that now fits is released, oldest
    first, each counted against the limit before the next is tried. Runs at the end of the
    payment's transaction and takes the customer's lock there: an order entered at the same
    moment either sees the payment or is held before this looks (and is released here). Each
    order's workflow is told by a signal."""
    session.flush()
    lock_for_credit_decision(session, customer_id)
    held = session.exec(
        select(SalesOrder)
        .where(SalesOrder.customer_id == customer_id, SalesOrder.status == OrderStatus.CREDIT_HOLD)
        .order_by(col(SalesOrder.created_at), col(SalesOrder.id))
    ).all()
    at = datetime.now(UTC)  # an API command's moment, not a workflow's business date
    released = []
    for order in held:
        if not check_order_credit(session, order.id or 0, on).passed:
            continue
        release = ReleaseInput(user="system", comment=because)
        release_hold(session, order.id or 0, release, at)
        session.flush()
        queue_signal(
            session,
            key=f"signal:credit-release/order-{order.id}/r{order.revision}",
            workflow_id=order.workflow_id,
            signal=CREDIT_RELEASED_SIGNAL,
            payload=release.model_dump(mode="json"),
        )
        released.append(order.id or 0)
    return released


def expire_hold(session: Session, ref: HoldExpiryInput) -> OrderEnded:
    """The hold waited its class's days: the order is cancelled and the rep told, unless a
    release got there first."""
    order = get_order(session, ref.order_id)
    if order.status != OrderStatus.CREDIT_HOLD:
        return OrderEnded(ended=False, status=order.status)
    reason = f"credit hold not released within {ref.hold_days} days"
    close_hold(session, order.id or 0, HoldOutcome.CANCELLED, ref.at)
    change_status(
        session,
        StatusChangeInput(
            order_id=order.id or 0,
            status=OrderStatus.CANCELLED,
            kind="credit_hold_expired",
            at=ref.at,
            detail=reason,
        ),
    )
    ids = mail_rep(session, order, key=f"order-{order.id}/credit-hold-expired", reason=reason)
    return OrderEnded(ended=True, status=OrderStatus.CANCELLED, outbox_ids=ids)
