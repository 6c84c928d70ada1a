"""Workflow messages owed after a commit (start an order's workflow, signal an invoice's
collection): written in the command's transaction, delivered by the relay."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from models.outbox import OutboxKind, OutboxMessage


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
