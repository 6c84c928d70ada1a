"""Delivers the workflow outbox: starts workflows and sends signals that commands queued in
their transactions. Runs after each API command and in a loop in the worker, so messages
written while Temporal was unreachable still arrive."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import col, select
from temporalio.client import Client
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from activities.transaction import transaction
from models.outbox import OutboxKind, OutboxMessage, OutboxState

log = logging.getLogger(__name__)
BATCH = 200


def _pending(engine: Engine) -> list[OutboxMessage]:
    with transaction(engine) as session:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.PENDING)
            .where(col(OutboxMessage.kind).in_([OutboxKind.SIGNAL, OutboxKind.START_WORKFLOW]))
            .order_by(col(OutboxMessage.id))
            .limit(BATCH)
        )
        return list(session.exec(query).all())


def _mark(engine: Engine, message_id: int, error: str | None) -> None:
    with transaction(engine) as session:
        message = session.get(OutboxMessage, message_id)
        if message is None:
            return
        message.attempts += 1
        if error is None:
            message.state = OutboxState.SENT
            message.sent_at = datetime.now(UTC)
        message.last_error = error
        session.add(message)


async def _deliver(client: Client, task_queue: str, message: OutboxMessage) -> None:
    if message.kind == OutboxKind.START_WORKFLOW:
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await client.start_workflow(
                message.name, message.payload, id=message.target, task_queue=task_queue
            )
    else:
        args = [message.payload] if message.payload else []
        await client.get_workflow_handle(message.target).signal(message.name, *args)


async def relay_once(client: Client, engine: Engine, task_queue: str) -> int:
    """Deliver what is pending; returns how many were delivered."""
    delivered = 0
    for message in await asyncio.to_thread(_pending, engine):
        try:
            await _deliver(client, task_queue, message)
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                # The workflow is not there (yet, or any more): retried on the next pass.
                await asyncio.to_thread(_mark, engine, message.id or 0, str(exc))
                continue
            log.warning("outbox relay paused: %s", exc)
            break
        await asyncio.to_thread(_mark, engine, message.id or 0, None)
        delivered += 1
    return delivered


async def relay_forever(
    client: Client, engine: Engine, task_queue: str, interval: float = 1.0
) -> None:
    while True:
        try:
            await relay_once(client, engine, task_queue)
        except Exception:  # the relay must outlive any one bad message or outage
            log.exception("outbox relay pass failed")
        await asyncio.sleep(interval)
