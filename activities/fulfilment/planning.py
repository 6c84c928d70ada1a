"""The fulfilment steps OrderWorkflow and ShipmentWorkflow take: reserve and plan, let expired
reservations go, release an order's stock, read a shipment, and the late-delivery alert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from activities.fulfilment.reservations import (
    held_by_order,
    hold_expiries,
    release_holds,
    serve_waiting,
)
from activities.fulfilment.reservations import reserve_for_order as reserve
from activities.fulfilment.shipments import cancel_open_shipments, get_shipment, order_shipments
from activities.fulfilment.shipments import plan_shipments as plan
from activities.sales.orders import get_order, order_lines
from models.fulfilment.messages import (
    ExpiryResult,
    FulfilmentInput,
    FulfilmentPlan,
    LateAlert,
    ShipmentRef,
    ShipmentState,
)
from models.fulfilment.policy import fulfilment_status
from models.fulfilment.shipments import ON_THE_WAY, OPEN_SHIPMENT, Shipment, ShipmentStatus
from models.sales.order_status import FINAL
from models.sales.orders import OrderEvent, SalesOrder
from models.security.users import User
from notifications.outbox import queue_email


@dataclass(frozen=True)
class FulfilmentConfig:
    """What the worker's settings say about fulfilment, for the steps that need it (built by
    o2c.worker.fulfilment_config; the defaults live in the settings alone)."""

    hold_days: int
    recheck_credit_classes: tuple[str, ...]
    ops_email: str
    staff_language: str
    company: str


def plan_fulfilment(
    session: Session, data: FulfilmentInput, policy: FulfilmentConfig, reserve_now: bool
) -> FulfilmentPlan:
    """Reserve what the order still needs (if asked), plan what may ship, and say where it is."""
    order = get_order(session, data.order_id)
    shortages: list[str] = []
    if order.status not in FINAL:
        if reserve_now:
            shortages = reserve(session, data.order_id, data.at, policy.hold_days)
        plan(session, order, data.at, list(policy.recheck_credit_classes))
    return _position(session, order, shortages)


def _position(session: Session, order: SalesOrder, shortages: list[str]) -> FulfilmentPlan:
    shipments = order_shipments(session, order.id or 0)
    lines = order_lines(session, order.id or 0)
    held = held_by_order(session, order.id or 0)
    expiries = hold_expiries(session, order.id or 0)
    dispatched = [s for s in shipments if s.status in (*ON_THE_WAY, ShipmentStatus.DELIVERED)]
    all_dispatched = all(
        line.shipped_quantity >= line.quantity - line.cancelled_quantity for line in lines
    )
    status = fulfilment_status(
        any_dispatched=bool(dispatched),
        all_dispatched=all_dispatched,
        planned=any(s.status in OPEN_SHIPMENT for s in shipments),
    )
    holds_until = [expiries[key] for key in held if key in expiries]
    return FulfilmentPlan(
        shipments=[s.id or 0 for s in shipments if s.status != ShipmentStatus.CANCELLED],
        dispatched=[s.id or 0 for s in sorted(dispatched, key=_dispatch_order)],
        status=status,
        shortages=shortages,
        all_dispatched=all_dispatched,
        reserved_until=min(holds_until) if holds_until else None,
    )


def _dispatch_order(shipment: Shipment) -> tuple[datetime, int]:
    return (shipment.dispatched_at or shipment.created_at, shipment.id or 0)


def expire_reservations(
    session: Session, data: FulfilmentInput, policy: FulfilmentConfig
) -> ExpiryResult:
    """Reservations held past their days go back to stock (first to other waiting orders), the
    order's unshipped shipments are cancelled, and the rep hears of it."""
    order = get_order(session, data.order_id)
    released = release_holds(session, data.order_id, data.at, expired_only=True)
    if not released:
        return ExpiryResult(released=False)
    cancelled = cancel_open_shipments(session, data.order_id, data.at, "reservation expired")
    serve_waiting(session, released, data.at, policy.hold_days, exclude_order=data.order_id)
    detail = f"not shipped within {policy.hold_days} days: {', '.join(released)} released"
    session.add(
        OrderEvent(order_id=data.order_id, kind="reservation_expired", detail=detail, at=data.at)
    )
    mails = _mail_staff(
        session,
        [_rep_email(session, order)],
        key=f"order-{data.order_id}/email/reservation-expired/{data.at.isoformat()}",
        template="reservation_expired",
        policy=policy,
        context={"order": order, "skus": released, "days": policy.hold_days},
    )
    return ExpiryResult(released=True, cancelled_shipments=cancelled, mail_ids=mails)


def release_order_stock(session: Session, data: FulfilmentInput, hold_days: int) -> list[int]:
    """A cancelled order gives back all it holds; its unshipped shipments are cancelled."""
    released = release_holds(session, data.order_id, data.at, expired_only=False)
    cancelled = cancel_open_shipments(session, data.order_id, data.at, "order cancelled")
    serve_waiting(session, released, data.at, hold_days, exclude_order=data.order_id)
    return cancelled


def cancel_remainder(session: Session, data: FulfilmentInput, hold_days: int) -> list[int]:
    """After a partial shipment: what has not shipped is taken off the order's lines for good;
    its stock goes back and its unshipped shipments are cancelled."""
    for line in order_lines(session, data.order_id):
        line.cancelled_quantity = line.quantity - line.shipped_quantity
        session.add(line)
    return release_order_stock(session, data, hold_days)


def shipment_state(session: Session, ref: ShipmentRef) -> ShipmentState:
    shipment = get_shipment(session, ref.shipment_id)
    return ShipmentState(
        shipment_id=ref.shipment_id,
        order_id=shipment.order_id,
        status=shipment.status,
        eta=shipment.eta,
        late_alerted=shipment.late_alert_at is not None,
    )


def late_shipment_alert(session: Session, ref: ShipmentRef, policy: FulfilmentConfig) -> LateAlert:
    """Tell the rep and ops once that a shipment's ETA passed without delivery."""
    shipment = get_shipment(session, ref.shipment_id, lock=True)
    order = get_order(session, shipment.order_id)
    if shipment.late_alert_at is None:
        shipment.late_alert_at = ref.at
        session.add(shipment)
        session.add(
            OrderEvent(
                order_id=order.id or 0,
                kind="shipment_late",
                detail=f"shipment {shipment.id}: ETA {shipment.eta} passed without delivery",
                at=ref.at,
            )
        )
    mails = _mail_staff(
        session,
        [_rep_email(session, order), policy.ops_email],
        key=f"shipment-{shipment.id}/email/late",
        template="shipment_late",
        policy=policy,
        context={"order": order, "shipment": shipment},
    )
    return LateAlert(mail_ids=mails)


def _rep_email(session: Session, order: SalesOrder) -> str | None:
    rep = session.exec(select(User).where(User.username == order.created_by)).first()
    return rep.email if rep is not None else None


def _mail_staff(
    session: Session,
    recipients: list[str | None],
    *,
    key: str,
    template: str,
    policy: FulfilmentConfig,
    context: dict[str, object],
) -> list[int]:
    ids = []
    for to in dict.fromkeys(r for r in recipients if r):
        mail = queue_email(
            session,
            key=f"{key}/{to}",
            to=to,
            template=template,
            language=policy.staff_language,
            context={"company": policy.company, **context},
        )
        ids.append(mail.id or 0)
    return ids
