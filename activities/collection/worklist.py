"""A collector's worklist: the API's ranked tasks (`list_tasks`), each with the customer to
call (name, contact, phone, language, open items) and the invoice's dunning level; and the
outcomes logged on a task, oldest first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from activities.collection.tasks import get_task, list_tasks, task_public
from models.collection.tasks import CollectionOutcome, CollectionTaskPublic, CollectionTaskStatus
from models.collection.worklist import OutcomePublic, WorklistCustomer, WorklistEntry
from models.master_data.customers import Customer
from models.money import ZERO
from models.receivables.invoices import Invoice

NOTHING_OPEN = (0, None)  # a customer owing nothing: no open items, no amount


def worklist(
    session: Session, assignee: str, limit: int, offset: int, today: date
) -> tuple[list[WorklistEntry], int]:
    """`assignee`'s open tasks, ranked as `GET /collection-tasks?assignee=me&status=open`."""
    tasks, total = list_tasks(session, limit, offset, today, assignee, CollectionTaskStatus.OPEN)
    return _entries(session, tasks), total


def worklist_entry(session: Session, task_id: int, today: date) -> WorklistEntry:
    return _entries(session, [task_public(session, task_id, today)])[0]


def outcomes_of(session: Session, task_id: int) -> list[OutcomePublic]:
    get_task(session, task_id)
    rows = session.exec(
        select(CollectionOutcome)
        .where(CollectionOutcome.task_id == task_id)
        .order_by(col(CollectionOutcome.at), col(CollectionOutcome.id))
    ).all()
    return [OutcomePublic.model_validate(row) for row in rows]


def _entries(session: Session, tasks: list[CollectionTaskPublic]) -> list[WorklistEntry]:
    """The tasks with their invoices' dunning levels, customers and customers' open items, each
    read once for all the tasks (a page of 50 read them 50 times each)."""
    if not tasks:
        return []
    invoice_ids = list({task.invoice_id for task in tasks})
    customer_ids = list({task.customer_id for task in tasks})
    levels: dict[int | None, int] = dict(
        session.exec(
            select(Invoice.id, Invoice.dunning_level).where(col(Invoice.id).in_(invoice_ids))
        ).all()
    )
    customers = {
        c.id: c for c in session.exec(select(Customer).where(col(Customer.id).in_(customer_ids)))
    }
    open_items = {
        customer_id: (count, amount)
        for customer_id, count, amount in session.exec(
            select(Invoice.customer_id, func.count(), func.sum(Invoice.outstanding))
            .where(col(Invoice.customer_id).in_(customer_ids), col(Invoice.outstanding) > 0)
            .group_by(col(Invoice.customer_id))
        ).all()
    }
    return [
        WorklistEntry(
            task=task,
            customer=_customer(
                customers[task.customer_id], *open_items.get(task.customer_id, NOTHING_OPEN)
            ),
            dunning_level=levels[task.invoice_id],
        )
        for task in tasks
    ]


def _customer(customer: Customer, count: int, amount: Decimal | None) -> WorklistCustomer:
    return WorklistCustomer(
        customer_id=customer.id or 0,
        name=customer.name,
        email=customer.email,
        phone=customer.phone,
        language=customer.language,
        currency=customer.currency,
        open_items=int(count),
        open_amount=amount if amount is not None else ZERO,
    )
