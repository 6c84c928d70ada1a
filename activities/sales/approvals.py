"""Approval of an order: the levels it needs under the policy in force, the requests waiting in
approvers' inboxes, decisions, reminders, escalations and expiry."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, func, or_, true
from sqlmodel import Session, col, select

from activities.sales.approval_policy import levels_in_force
from activities.sales.order_mail import mail_rep, mail_users, staff
from activities.sales.order_pricing import OVERRIDE
from activities.sales.orders import change_status, event, get_order, order_lines
from models.master_data.customers import CreditStatus
from models.sales.approval_policy import OrderFacts, required_levels
from models.sales.approvals import ApprovalTask, ApprovalTaskPublic, TaskStatus
from models.sales.credit_policy import CreditHold, HoldKind
from models.sales.messages import (
    ApprovalNotice,
    ApprovalPlan,
    ApprovalStep,
    DecisionInput,
    DecisionRecorded,
    ExpireApprovalInput,
    MailsQueued,
    OrderEnded,
    OrderRef,
    StatusChangeInput,
)
from models.sales.order_status import OrderStatus
from models.sales.orders import Approval, SalesOrder
from models.security.users import Role, User

ZERO_PCT = Decimal(0)


def order_facts(session: Session, order: SalesOrder) -> OrderFacts:
    lines = order_lines(session, order.id or 0)
    hold = session.exec(
        select(CreditHold)
        .where(CreditHold.order_id == order.id, CreditHold.revision == order.revision)
        .order_by(col(CreditHold.id).desc())
    ).first()
    credit = CreditStatus.OK
    if hold is not None:
        credit = CreditStatus.BLOCKED if hold.kind == HoldKind.BLOCKED else CreditStatus.HOLD
    return OrderFacts(
        total=order.total,
        largest_discount_pct=max((line.discount_pct for line in lines), default=ZERO_PCT),
        price_overridden=any(line.price_source == OVERRIDE for line in lines),
        credit_status=credit,
    )


def plan_approval(session: Session, ref: OrderRef) -> ApprovalPlan:
    order = get_order(session, ref.order_id)
    levels = required_levels(levels_in_force(session), order_facts(session, order))
    steps = [
        ApprovalStep(
            level=n,
            **spec.model_dump(
                exclude={
                    "when_total_above",
                    "when_discount_above",
                    "when_price_override",
                    "when_credit_status",
                }
            ),
        )
        for n, spec in levels
    ]
    return ApprovalPlan(revision=order.revision, created_by=order.created_by, steps=steps)


def _task(session: Session, order_id: int, revision: int, level: int) -> ApprovalTask | None:
    return session.exec(
        select(ApprovalTask).where(
            ApprovalTask.order_id == order_id,
            ApprovalTask.revision == revision,
            ApprovalTask.level == level,
        )
    ).first()


def _close_task(
    session: Session, order_id: int, revision: int, level: int, status: TaskStatus, at: datetime
) -> None:
    task = _task(session, order_id, revision, level)
    if task is not None and task.status == TaskStatus.PENDING:
        task.status, task.closed_at = status, at
        session.add(task)


def close_open_tasks(session: Session, order_id: int, at: datetime) -> None:
    """The order was amended or cancelled: nobody should find it in their inbox any more."""
    for task in session.exec(
        select(ApprovalTask).where(
            ApprovalTask.order_id == order_id, ApprovalTask.status == TaskStatus.PENDING
        )
    ).all():
        task.status, task.closed_at = TaskStatus.CLOSED, at
        session.add(task)


def notify_approvers(session: Session, notice: ApprovalNotice, public_url: str) -> MailsQueued:
    """A level is waiting, still waiting, or escalated: inbox row, timeline and e-mails."""
    order = get_order(session, notice.order_id)
    step = notice.step
    task = _task(session, order.id or 0, notice.revision, step.level)
    if task is None:
        task = ApprovalTask(
            order_id=order.id or 0,
            revision=notice.revision,
            level=step.level,
            name=step.name,
            role=step.role,
            user=step.user,
            total=order.total,
            created_at=notice.at,
        )
    role, username = step.role, step.user
    if notice.kind == "escalated":
        task.escalated_to, task.escalated_at = step.escalate_to, notice.at
        role, username = step.escalate_to, None
    session.add(task)
    who = username or role
    event(
        session,
        order.id or 0,
        f"approval_{notice.kind}",
        notice.at,
        "system",
        f"level {step.level} ({step.name}) to {who}",
    )
    recipients = [u for u in staff(session, role, username) if u.username != order.created_by]
    ids = mail_users(
        session,
        recipients,
        key=f"order-{order.id}/r{notice.revision}/level-{step.level}/{notice.kind}",
        template="approval_request",
        order=order,
        kind=notice.kind,
        level={"number": step.level, "name": step.name},
        order_url=f"{public_url}/app/orders/{order.id}",
    )
    return MailsQueued(outbox_ids=ids)


def record_decision(session: Session, decision: DecisionInput) -> DecisionRecorded:
    """The approver's decision, and the status it leads to, in one transaction, once per level.
    A level decided already (by a run a crash cut short) keeps that decision, which is answered."""
    decided = select(Approval).where(
        Approval.order_id == decision.order_id,
        Approval.revision == decision.revision,
        Approval.level == decision.level,
    )
    earlier = session.exec(decided).first()
    if earlier is not None:
        return DecisionRecorded(
            approved=earlier.decision == OrderStatus.APPROVED, decided_by=earlier.decided_by
        )
    verdict = OrderStatus.APPROVED if decision.approved else OrderStatus.REJECTED
    session.add(
        Approval(
            order_id=decision.order_id,
            revision=decision.revision,
            level=decision.level,
            role=decision.role,
            decision=verdict.value,
            decided_by=decision.user,
            comment=decision.comment,
            decided_at=decision.at,
        )
    )
    task_status = TaskStatus.APPROVED if decision.approved else TaskStatus.REJECTED
    _close_task(
        session, decision.order_id, decision.revision, decision.level, task_status, decision.at
    )
    recorded = DecisionRecorded(approved=decision.approved, decided_by=decision.user)
    if decision.approved and not decision.final:
        detail = f"level {decision.level}" + (f": {decision.comment}" if decision.comment else "")
        event(session, decision.order_id, "level_approved", decision.at, decision.user, detail)
        return recorded
    change_status(
        session,
        StatusChangeInput(
            order_id=decision.order_id,
            status=verdict,
            kind=verdict.value,
            at=decision.at,
            actor=decision.user,
            detail=decision.comment,
        ),
    )
    return recorded


def expire_approval(session: Session, data: ExpireApprovalInput) -> OrderEnded:
    """Nobody decided in time: the order is rejected and the rep told (unless it moved on)."""
    order = get_order(session, data.order_id)
    if order.status != OrderStatus.PENDING_APPROVAL or order.revision != data.revision:
        return OrderEnded(ended=False, status=order.status)
    reason = f"approval level {data.level} was not decided in time"
    session.add(
        Approval(
            order_id=order.id or 0,
            revision=data.revision,
            level=data.level,
            role="system",
            decision="expired",
            decided_by="system",
            comment=reason,
            decided_at=data.at,
        )
    )
    _close_task(session, order.id or 0, data.revision, data.level, TaskStatus.EXPIRED, data.at)
    change_status(
        session,
        StatusChangeInput(
            order_id=order.id or 0,
            status=OrderStatus.REJECTED,
            kind="approval_expired",
            at=data.at,
            detail=reason,
        ),
    )
    ids = mail_rep(session, order, key=f"order-{order.id}/approval-expired", reason=reason)
    return OrderEnded(ended=True, status=OrderStatus.REJECTED, outbox_ids=ids)


def _may_decide(user: User) -> ColumnElement[bool]:
    """The requests `user` may decide: named to them, or to one of their roles (an escalation
    included); admin decides any."""
    if Role.ADMIN in user.role_set:
        return true()
    roles = [str(r) for r in user.role_set]
    return or_(
        col(ApprovalTask.user) == user.username,
        col(ApprovalTask.role).in_(roles),
        col(ApprovalTask.escalated_to).in_(roles),
    )


def inbox(
    session: Session, user: User, status: TaskStatus, limit: int, offset: int
) -> tuple[list[ApprovalTaskPublic], int]:
    """Pending: what the caller may decide now (not their own orders, not a second level of an
    order they already decided). Other statuses: requests in that state they could decide. The
    database filters and pages, so the inbox costs the same however many orders wait."""
    query = (
        select(ApprovalTask, SalesOrder)
        .join(SalesOrder, col(SalesOrder.id) == col(ApprovalTask.order_id))
        .where(ApprovalTask.status == status, _may_decide(user))
    )
    if status == TaskStatus.PENDING:
        already_decided = (
            select(Approval.id)
            .where(
                col(Approval.order_id) == col(ApprovalTask.order_id),
                col(Approval.revision) == col(ApprovalTask.revision),
                Approval.decided_by == user.username,
            )
            .exists()
        )
        query = query.where(
            SalesOrder.status == OrderStatus.PENDING_APPROVAL,
            col(SalesOrder.revision) == col(ApprovalTask.revision),
            SalesOrder.created_by != user.username,
            ~already_decided,
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = query.order_by(col(ApprovalTask.created_at), col(ApprovalTask.id))
    items = [
        ApprovalTaskPublic.model_validate(
            task,
            update={
                "order_number": order.number,
                "customer_id": order.customer_id,
                "created_by": order.created_by,
            },
        )
        for task, order in session.exec(page.offset(offset).limit(limit)).all()
    ]
    return items, total
