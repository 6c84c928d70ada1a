"""Collection tasks: opened for a collector when an invoice escalates, reminded and escalated
to a collections manager (credit_manager role) when not worked in time, and the outcomes
collectors log on them. Collectors' lists are ranked by outstanding x days overdue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from activities.collection.cases import open_dispute, record_promise
from activities.collection.dunning import terms_for_customer
from activities.master_data.customers import get_customer
from activities.receivables.invoices import get_invoice
from models.collection.messages import (
    CloseTaskInput,
    DisputeInput,
    OpenTaskInput,
    OutcomeInput,
    PromiseInput,
    TaskNoticeInput,
    TaskState,
)
from models.collection.tasks import (
    CollectionOutcome,
    CollectionTask,
    CollectionTaskPublic,
    CollectionTaskStatus,
    CustomerCollection,
    Outcome,
)
from models.errors import Conflict, Forbidden, InvalidInput, NotFound
from models.money import quantize
from models.receivables.invoices import Invoice
from models.security.users import Role, User
from notifications.outbox import mail_staff

UNASSIGNED = "unassigned"
MANAGER_ROLES = (Role.CREDIT_MANAGER, Role.ADMIN)
FOLLOW_UP_DAYS = {Outcome.CONTACTED: 3, Outcome.NO_ANSWER: 1}


def get_task(session: Session, task_id: int) -> CollectionTask:
    task = session.get(CollectionTask, task_id)
    if task is None:
        raise NotFound(f"collection task {task_id} does not exist")
    return task


def _users_with(session: Session, role: Role) -> list[User]:
    users = session.exec(select(User).where(col(User.active)).order_by(col(User.username))).all()
    return [u for u in users if role in u.role_set]


def _round_robin(session: Session, role: Role, taken: int) -> str:
    people = _users_with(session, role)
    return people[taken % len(people)].username if people else UNASSIGNED


def _notify(session: Session, task: CollectionTask, username: str, reason: str) -> int | None:
    """An e-mail to the member of staff about the task, when they have an address."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.email:
        return None
    invoice = get_invoice(session, task.invoice_id)
    [mail_id] = mail_staff(
        session,
        [user],
        key=f"collection-task-{task.id}/notice/{reason}",
        template="collection_notice",
        context={
            "task": task,
            "invoice": invoice,
            "outstanding": quantize(invoice.outstanding, invoice.currency),
            "reason": reason,
            "user": username,
        },
    )
    return mail_id


def open_task(session: Session, data: OpenTaskInput) -> TaskState:
    """One task per invoice escalation: to the customer's collector, else round robin."""
    key = f"invoice-{data.invoice_id}/collection-task"
    task = session.exec(select(CollectionTask).where(CollectionTask.key == key)).first()
    if task is None:
        invoice = get_invoice(session, data.invoice_id)
        profile = session.get(CustomerCollection, invoice.customer_id)
        collector = profile.collector if profile and profile.collector else None
        if collector is None:
            rotated = session.exec(
                select(func.count()).select_from(CollectionTask).where(col(CollectionTask.rotation))
            ).one()
            collector = _round_robin(session, Role.COLLECTOR, int(rotated))
        task = CollectionTask(
            key=key,
            invoice_id=data.invoice_id,
            customer_id=invoice.customer_id,
            assignee=collector,
            level=data.level,
            rotation=profile is None or not profile.collector,
            opened_at=data.at,
        )
        session.add(task)
        session.flush()
    mail = _notify(session, task, task.assignee, "assigned")
    return TaskState(task_id=task.id or 0, assignee=task.assignee, mail_outbox_id=mail)


def remind_collector(session: Session, data: TaskNoticeInput) -> TaskState:
    task = get_task(session, data.task_id)
    mail = _notify(session, task, task.assignee, data.reason)
    return TaskState(task_id=data.task_id, assignee=task.assignee, mail_outbox_id=mail)


def escalate_task(session: Session, data: TaskNoticeInput) -> TaskState:
    """Hand the task to a collections manager (round robin over credit managers)."""
    task = get_task(session, data.task_id)
    if not task.escalated:
        escalated = session.exec(
            select(func.count()).select_from(CollectionTask).where(col(CollectionTask.escalated))
        ).one()
        task.assignee = _round_robin(session, Role.CREDIT_MANAGER, int(escalated))
        task.escalated = True
        session.add(task)
        session.flush()
    mail = _notify(session, task, task.assignee, f"escalated-{data.reason}")
    return TaskState(task_id=task.id or 0, assignee=task.assignee, mail_outbox_id=mail)


def close_task(session: Session, data: CloseTaskInput) -> None:
    task = get_task(session, data.task_id)
    if task.status == CollectionTaskStatus.CLOSED:
        return
    session.add(
        CollectionOutcome(
            task_id=data.task_id, outcome=Outcome.RESOLVED, note=data.note, by=data.by, at=data.at
        )
    )
    task.status = CollectionTaskStatus.CLOSED
    task.last_outcome = data.outcome
    task.closed_at = data.at
    session.add(task)


def may_answer(task: CollectionTask, user: str, roles: Sequence[str]) -> bool:
    return task.assignee == user or any(r in MANAGER_ROLES for r in roles)


def check_outcome_allowed(
    session: Session, task_id: int, user: str, roles: Sequence[str]
) -> Invoice:
    """The API's early check: the task is open and the caller's. Returns the invoice."""
    task = get_task(session, task_id)
    if task.status != CollectionTaskStatus.OPEN:
        raise Conflict(f"collection task {task_id} is closed")
    if not may_answer(task, user, roles):
        raise Forbidden(f"collection task {task_id} is assigned to {task.assignee}")
    return get_invoice(session, task.invoice_id)


def record_outcome(session: Session, data: OutcomeInput) -> TaskState:
    """What the collector did, and what it means for the task, in one transaction."""
    task = get_task(session, data.task_id)
    today = data.at.date()
    outcome = Outcome(data.outcome)
    session.add(
        CollectionOutcome(
            task_id=data.task_id,
            outcome=outcome,
            note=data.note,
            by=data.user,
            promised_date=data.promised_date,
            amount=data.amount,
            at=data.at,
        )
    )
    task.last_outcome = outcome.value
    promise_id = None
    if outcome in FOLLOW_UP_DAYS:
        task.follow_up_on = data.follow_up_on or today + timedelta(days=FOLLOW_UP_DAYS[outcome])
    elif outcome == Outcome.PROMISE:
        assert data.promised_date is not None and data.amount is not None
        promise_id = record_promise(
            session,
            PromiseInput(
                invoice_id=data.invoice_id,
                user=data.user,
                promised_date=data.promised_date,
                amount=data.amount,
                task_id=data.task_id,
                at=data.at,
            ),
        )
        grace = terms_for_customer(session, task.customer_id).promise_grace_days
        task.follow_up_on = data.promised_date + timedelta(days=grace + 1)
    elif outcome == Outcome.DISPUTE:
        open_dispute(
            session,
            DisputeInput(invoice_id=data.invoice_id, user=data.user, reason=data.note, at=data.at),
        )
        task.follow_up_on = None
    elif outcome == Outcome.RESOLVED:
        task.status = CollectionTaskStatus.CLOSED
        task.closed_at = data.at
    session.add(task)
    session.flush()
    if outcome == Outcome.ESCALATE:
        return escalate_task(
            session, TaskNoticeInput(task_id=data.task_id, reason="by-collector", at=data.at)
        )
    return TaskState(
        task_id=data.task_id,
        assignee=task.assignee,
        closed=task.status == CollectionTaskStatus.CLOSED,
        promise_id=promise_id,
    )


def set_collector(session: Session, customer_id: int, collector: str | None) -> None:
    get_customer(session, customer_id)
    if collector is not None:
        user = session.exec(select(User).where(User.username == collector)).first()
        if user is None or not user.active or Role.COLLECTOR not in user.role_set:
            raise InvalidInput(f"{collector!r} is not an active collector", field="collector")
    profile = session.get(CustomerCollection, customer_id) or CustomerCollection(
        customer_id=customer_id
    )
    profile.collector = collector
    session.add(profile)


def _public(task: CollectionTask, invoice: Invoice, today: date) -> CollectionTaskPublic:
    overdue = max(0, (today - invoice.due_date).days)
    return CollectionTaskPublic(
        id=task.id or 0,
        invoice_id=task.invoice_id,
        invoice_number=invoice.number,
        customer_id=task.customer_id,
        assignee=task.assignee,
        status=task.status,
        level=task.level,
        escalated=task.escalated,
        outstanding=invoice.outstanding,
        days_overdue=overdue,
        priority=invoice.outstanding * overdue,
        follow_up_on=task.follow_up_on,
        last_outcome=task.last_outcome,
        opened_at=task.opened_at,
    )


def task_public(session: Session, task_id: int, today: date) -> CollectionTaskPublic:
    task = get_task(session, task_id)
    return _public(task, get_invoice(session, task.invoice_id), today)


def list_tasks(
    session: Session,
    limit: int,
    offset: int,
    today: date,
    assignee: str | None = None,
    status: CollectionTaskStatus | None = None,
) -> tuple[list[CollectionTaskPublic], int]:
    """A collector's open tasks are a handful: ranked in Python by outstanding x days overdue."""
    query = select(CollectionTask, Invoice).join(
        Invoice, col(Invoice.id) == col(CollectionTask.invoice_id)
    )
    if assignee:
        query = query.where(CollectionTask.assignee == assignee)
    if status:
        query = query.where(CollectionTask.status == status)
    rows = [_public(task, invoice, today) for task, invoice in session.exec(query).all()]
    rows.sort(key=lambda t: (-t.priority, t.id))
    return rows[offset : offset + limit], len(rows)
