"""A collector's worklist: the API's ranked tasks (`list_tasks`), each with the customer to
call (name, contact, phone, language, open items) and the invoice's dunning level; and the
outcomes logged on a task, oldest first."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from activities.collection.tasks import get_task, list_tasks, task_public
from activities.master_data.customers import get_customer
from activities.receivables.invoices import get_invoice
from models.collection.tasks import CollectionOutcome, CollectionTaskPublic, CollectionTaskStatus
from models.collection.worklist import OutcomePublic, WorklistCustomer, WorklistEntry
from models.money import ZERO
from models.receivables.invoices import Invoice


def worklist(
    session: Session, assignee: str, limit: int, offset: int, today: date
) -> tuple[list[WorklistEntry], int]:
    """`assignee`'s open tasks, ranked as `GET /collection-tasks?assignee=me&status=open`."""
    tasks, total = list_tasks(session, limit, offset, today, assignee, CollectionTaskStatus.OPEN)
    return [_entry(session, task) for task in tasks], total


def worklist_entry(session: Session, task_id: int, today: date) -> WorklistEntry:
    return _entry(session, task_public(session, task_id, today))


def outcomes_of(session: Session, task_id: int) -> list[OutcomePublic]:
    get_task(session, task_id)
    rows = session.exec(
        select(CollectionOutcome)
        .where(CollectionOutcome.task_id == task_id)
        .order_by(col(CollectionOutcome.at), col(CollectionOutcome.id))
    ).all()
    return [OutcomePublic.model_validate(row) for row in rows]


def _entry(session: Session, task: CollectionTaskPublic) -> WorklistEntry:
    invoice = get_invoice(session, task.invoice_id)
    return WorklistEntry(
        task=task,
        customer=_customer(session, task.customer_id),
        dunning_level=invoice.dunning_level,
    )


def _customer(session: Session, customer_id: int) -> WorklistCustomer:
    customer = get_customer(session, customer_id)
    count, amount = session.exec(
        select(func.count(), func.sum(Invoice.outstanding)).where(
            Invoice.customer_id == customer_id, col(Invoice.outstanding) > 0
        )
    ).one()
    return WorklistCustomer(
        customer_id=customer_id,
        name=customer.name,
        email=customer.email,
        phone=customer.phone,
        language=customer.language,
        currency=customer.currency,
        open_items=int(count),
        open_amount=amount if amount is not None else ZERO,
    )
