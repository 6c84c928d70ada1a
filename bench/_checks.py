"""What every bench run checks and prints at its end: no outbox row left pending, none retried
beyond its retry policy, no workflow failed; and the worker's peak memory."""

from __future__ import annotations

import asyncio
import resource
import time
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from temporalio.client import Client

from activities.transaction import run_command
from models.outbox import OutboxKind, OutboxMessage, OutboxState
from o2c.relay import GIVE_UP_AFTER_ATTEMPTS

WORKFLOW_MESSAGES = (OutboxKind.SIGNAL, OutboxKind.START_WORKFLOW)
# Still on their way: a mail being sent is not done either.
UNDELIVERED = (
    OutboxState.PENDING,
    OutboxState.SENDING,
    OutboxState.SUBMITTING,
    OutboxState.UNCONFIRMED,
)


@dataclass(frozen=True)
class OutboxCheck:
    pending: int  # not delivered yet (mail still being sent included)
    given_up: int  # dead or failed: a person must look
    over_retried: int  # workflow messages tried more often than the relay's policy allows
    most_attempts: int

    @property
    def clean(self) -> bool:
        return self.pending == 0 and self.given_up == 0 and self.over_retried == 0


def outbox_check(session: Session) -> OutboxCheck:
    def count(*where: object) -> int:
        query = select(func.count()).select_from(OutboxMessage).where(*where)  # type: ignore[arg-type]
        return int(session.exec(query).one())

    state = col(OutboxMessage.state)
    attempts = session.exec(select(func.max(OutboxMessage.attempts))).one()
    return OutboxCheck(
        pending=count(state.in_(UNDELIVERED)),
        given_up=count(state.in_([OutboxState.DEAD, OutboxState.FAILED])),
        over_retried=count(
            col(OutboxMessage.kind).in_(WORKFLOW_MESSAGES),
            col(OutboxMessage.attempts) > GIVE_UP_AFTER_ATTEMPTS,
        ),
        most_attempts=int(attempts or 0),
    )


async def drained_outbox(engine: Engine, timeout: float = 30) -> OutboxCheck:
    """The outbox once nothing is pending, or as it stands after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        check = await asyncio.to_thread(run_command, engine, outbox_check)
        if check.pending == 0 or time.monotonic() > deadline:
            return check
        await asyncio.sleep(0.25)


async def failed_workflows(client: Client) -> list[str]:
    return [w.id async for w in client.list_workflows('ExecutionStatus = "Failed"')]


def own_peak_memory_mib() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def after_run(outbox: OutboxCheck, failed: list[str]) -> list[str]:
    """The lines every bench prints after its run."""
    verdict = "ok" if outbox.clean and not failed else "FAILED"
    return [
        f"  outbox after the run:  {outbox.pending} pending, {outbox.given_up} given up, "
        f"{outbox.over_retried} retried beyond {GIVE_UP_AFTER_ATTEMPTS} attempts "
        f"(most attempts of a row: {outbox.most_attempts})",
        f"  workflows failed:      {len(failed)}{' ' + ', '.join(failed[:5]) if failed else ''}",
        f"  checks:                {verdict}",
    ]
