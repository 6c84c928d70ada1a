"""Delivers the workflow outbox: starts workflows and sends signals that commands queued in
their transactions. Runs after each API command and in a loop in the worker, so messages
written while Temporal was unreachable still arrive."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from activities.transaction import reading, transaction
from models.outbox import OutboxKind, OutboxMessage, OutboxState

log = logging.getLogger(__name__)
BATCH = 200
PARALLEL = 20  # workflows a pass talks to at the same time
RPC_TIMEOUT = timedelta(seconds=10)
# Longer than a pass takes: a relay that died mid-pass leaves its messages due again after it.
LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=1)
RETRY_CAP = timedelta(minutes=5)
GIVE_UP_AFTER_ATTEMPTS = 30
# A signal may be written before its workflow starts (the order starts invoices and shipments
# as children): "not found" is waited out this long before a person is asked to look.
NEVER_STARTED_AFTER = timedelta(days=2)
# Temporal itself is down or too slow: the pass stops, and no message is blamed for it.
OUTAGE = (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.CANCELLED)
# A workflow that ended this way did its work; one that failed, was terminated or timed out did
# not, and a message for it is a loss someone must look at.
FINISHED_WELL = (WorkflowExecutionStatus.COMPLETED, WorkflowExecutionStatus.CONTINUED_AS_NEW)


class TemporalUnreachable(Exception):
    """The pass stopped because Temporal did not answer; the rest waits for the next one."""


@dataclass(frozen=True)
class Outcome:
    """What one attempt at one message came to; `error` None with `dead` False: delivered."""

    message_id: int
    error: str | None = None
    dead: bool = False
    note: str | None = None  # delivered, but worth saying how (e.g. the workflow had finished)


def _claim(engine: Engine, now: datetime) -> list[OutboxMessage]:
    """Takes the due messages for this pass, earliest first, in one statement that moves their
    next attempt a lease ahead: a relay running at the same moment (the API's, the worker's)
    skips them."""
    token = uuid.uuid4().hex
    due = (
        col(OutboxMessage.state) == OutboxState.PENDING,
        col(OutboxMessage.kind).in_([OutboxKind.SIGNAL, OutboxKind.START_WORKFLOW]),
        col(OutboxMessage.next_attempt_at) <= now,
    )
    # Most passes find nothing due: a read says so without a write transaction (on SQLite the
    # write turn every command of the process waits for).
    with reading(engine) as session:
        if session.exec(select(OutboxMessage.id).where(*due).limit(1)).first() is None:
            return []
    earliest = (
        select(OutboxMessage.id)
        .where(*due)
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    with transaction(engine) as session:
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(earliest), *due)
            .values(next_attempt_at=now + LEASE, claim_token=token)
        )
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.claim_token == token)
            .order_by(col(OutboxMessage.id))
        )
        return list(session.exec(query).all())


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from FIRST_RETRY up to the cap."""
    return min(RETRY_CAP, FIRST_RETRY * 2 ** min(attempts - 1, 20))


def _record(engine: Engine, outcomes: list[Outcome], untried: list[int], now: datetime) -> None:
    """A pass's results in one transaction (one commit per pass, not one per message); what it
    claimed but did not try is due again at once."""
    by_id = {outcome.message_id: outcome for outcome in outcomes}
    with transaction(engine) as session:
        if untried:
            session.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id).in_(untried))
                .values(next_attempt_at=now)
            )
        if not by_id:
            return
        query = select(OutboxMessage).where(col(OutboxMessage.id).in_(by_id))
        for message in session.exec(query).all():
            if message.state != OutboxState.PENDING:  # resent or settled meanwhile
                continue
            outcome = by_id[message.id or 0]
            message.attempts += 1
            message.last_error = outcome.error or outcome.note
            if outcome.dead:
                message.state = OutboxState.DEAD
                message.dead_reason = outcome.error
            elif outcome.error is None:
                message.state = OutboxState.SENT
                message.sent_at = now
            else:
                message.next_attempt_at = now + backoff(message.attempts)
            session.add(message)


async def _deliver(client: Client, task_queue: str, message: OutboxMessage) -> None:
    if message.kind == OutboxKind.START_WORKFLOW:
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await client.start_workflow(
                message.name,
                message.payload,
                id=message.target,
                task_queue=task_queue,
                rpc_timeout=RPC_TIMEOUT,
            )
    else:
        args = [message.payload] if message.payload else []
        handle = client.get_workflow_handle(message.target)
        await handle.signal(message.name, *args, rpc_timeout=RPC_TIMEOUT)


async def _not_found(client: Client, message: OutboxMessage, now: datetime) -> Outcome:
    """A signal's workflow is not running: finished (settled), or not started yet (wait)."""
    message_id = message.id or 0
    try:
        description = await client.get_workflow_handle(message.target).describe()
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        if now - message.created_at > NEVER_STARTED_AFTER:
            reason = f"workflow {message.target} never started within {NEVER_STARTED_AFTER}"
            return Outcome(message_id, reason, dead=True)
        return Outcome(message_id, f"workflow {message.target} not started yet")
    status = description.status
    if status == WorkflowExecutionStatus.RUNNING:
        # Started between the signal's NOT_FOUND and this look: deliver it on the next pass.
        return Outcome(message_id, f"workflow {message.target} started meanwhile")
    ended = status.name.lower() if status else "unknown"
    if status in FINISHED_WELL:
        # It ran to its end with what it had; a late wake-up has nothing left to change.
        return Outcome(message_id, note=f"workflow {message.target} had already {ended}")
    reason = f"workflow {message.target} had ended ({ended}) before {message.name} arrived"
    return Outcome(message_id, reason, dead=True)


async def _attempt(
    client: Client, task_queue: str, message: OutboxMessage, now: datetime, timeout: float
) -> Outcome:
    message_id = message.id or 0
    try:
        await asyncio.wait_for(_deliver(client, task_queue, message), timeout)
    except TimeoutError as exc:
        raise TemporalUnreachable(f"no answer within {timeout} s") from exc
    except RPCError as exc:
        if exc.status in OUTAGE:
            raise TemporalUnreachable(str(exc)) from exc
        if exc.status == RPCStatusCode.NOT_FOUND and message.kind == OutboxKind.SIGNAL:
            return await asyncio.wait_for(_not_found(client, message, now), timeout)
        return _failed(message, str(exc))
    except Exception as exc:  # one bad message must not stop the others
        return _failed(message, f"{type(exc).__name__}: {exc}")
    return Outcome(message_id)


def _failed(message: OutboxMessage, error: str) -> Outcome:
    if message.attempts + 1 >= GIVE_UP_AFTER_ATTEMPTS:
        reason = f"gave up after {GIVE_UP_AFTER_ATTEMPTS} attempts: {error}"
        return Outcome(message.id or 0, reason, dead=True)
    return Outcome(message.id or 0, error)


async def relay_once(
    client: Client, engine: Engine, task_queue: str, timeout: timedelta = RPC_TIMEOUT
) -> int:
    """Deliver what is due; returns how many were delivered. Raises TemporalUnreachable (after
    recording what this pass did) when Temporal stops answering within `timeout`."""
    now = datetime.now(UTC)
    claimed = await asyncio.to_thread(_claim, engine, now)
    outcomes: dict[int, Outcome] = {}
    try:
        await _deliver_all(client, task_queue, claimed, now, timeout.total_seconds(), outcomes)
    finally:
        untried = [m.id or 0 for m in claimed if (m.id or 0) not in outcomes]
        done = list(outcomes.values())
        await asyncio.to_thread(_record, engine, done, untried, datetime.now(UTC))
    return sum(1 for outcome in outcomes.values() if outcome.error is None)


async def _deliver_all(
    client: Client,
    task_queue: str,
    claimed: list[OutboxMessage],
    now: datetime,
    timeout: float,
    outcomes: dict[int, Outcome],
) -> None:
    """Each workflow's messages one after the other, in the order they were written; different
    workflows' at the same time (PARALLEL at most), so that a pass of many messages takes about
    as long as its longest workflow's share, not the sum of all round trips."""
    by_target: dict[str, list[OutboxMessage]] = {}
    for message in claimed:
        by_target.setdefault(message.target, []).append(message)
    gate = asyncio.Semaphore(PARALLEL)

    async def in_order(messages: list[OutboxMessage]) -> None:
        async with gate:
            for message in messages:
                outcome = await _attempt(client, task_queue, message, now, timeout)
                outcomes[message.id or 0] = outcome

    try:
        async with asyncio.TaskGroup() as group:
            for messages in by_target.values():
                group.create_task(in_order(messages))
    except ExceptionGroup as failed:  # Temporal stopped answering: the others were cancelled
        raise failed.exceptions[0] from None


async def relay_forever(
    client: Client, engine: Engine, task_queue: str, interval: float = 1.0
) -> None:
    while True:
        try:
            await relay_once(client, engine, task_queue)
        except TemporalUnreachable as exc:
            log.warning("outbox relay paused: %s", exc)
        except Exception:  # the relay must outlive any one bad message or outage
            log.exception("outbox relay pass failed")
        await asyncio.sleep(interval)
