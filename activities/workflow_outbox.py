"""Workflow messages owed after a commit (start an order's workflow, signal an invoice's
collection): written in the command's transaction, delivered by the relay."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from models.credit.messages import CREDIT_REVIEW_WORKFLOW, StartReviewInput
from models.credit.reviews import ReviewTrigger
from models.outbox import OutboxKind, OutboxMessage
from models.workflow_ids import credit_review_workflow_id


def enqueue(
    session: Session, *, key: str, kind: OutboxKind, target: str, name: str, payload: dict[str, Any]
) -> OutboxMessage:
    existing = session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).first()
    if existing is not None:
        return existing
    message = OutboxMessage(key=key, kind=kind, target=target, name=name, payload=payload)
    session.add(message)
    session.flush()
    return message


def queue_signal(
    session: Session, *, key: str, workflow_id: str, signal: str, payload: dict[str, Any]
) -> OutboxMessage:
    return enqueue(
        session, key=key, kind=OutboxKind.SIGNAL, target=workflow_id, name=signal, payload=payload
    )


def queue_start(
    session: Session, *, workflow_id: str, workflow: str, payload: dict[str, Any]
) -> OutboxMessage:
    return enqueue(
        session,
        key=f"start:{workflow_id}",
        kind=OutboxKind.START_WORKFLOW,
        target=workflow_id,
        name=workflow,
        payload=payload,
    )


def credit_review_start(
    customer_id: int, trigger: ReviewTrigger, because: str, review_id: int | None = None
) -> dict[str, Any]:
    """The message that starts the customer's CreditReviewWorkflow for one event (`because`
    names it): its key, kind, workflow, type and input."""
    workflow_id = credit_review_workflow_id(customer_id)
    start = StartReviewInput(customer_id=customer_id, trigger=trigger, review_id=review_id)
    return {
        "key": f"start:{workflow_id}/{because}",
        "kind": OutboxKind.START_WORKFLOW,
        "target": workflow_id,
        "name": CREDIT_REVIEW_WORKFLOW,
        "payload": start.model_dump(mode="json"),
    }


def queue_credit_review(
    session: Session,
    *,
    customer_id: int,
    trigger: ReviewTrigger,
    because: str,
    review_id: int | None = None,
) -> OutboxMessage:
    """Starts the customer's CreditReviewWorkflow after the commit (`credit_review_start`), one
    start per event. A review already waiting for its decision absorbs it."""
    return enqueue(session, **credit_review_start(customer_id, trigger, because, review_id))
