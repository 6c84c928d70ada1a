"""The API hands the outbox to Temporal right after each command; commands that finish at the
same moment share relay passes (api/temporal_link.py): each still finds its workflow started when
its flush returns, and fifty of them cost far fewer passes than fifty."""

from __future__ import annotations

import asyncio

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from activities.workflow_outbox import queue_start
from api.temporal_link import TemporalLink
from models.outbox import OutboxState
from o2c.settings import Settings
from tests.support.database import outbox

COMMANDS = 50


async def test_commands_at_once_share_passes_and_each_finds_its_workflow_started(
    engine: Engine, time_skipping_env: WorkflowEnvironment, settings: Settings
) -> None:
    async def connect() -> Client:
        return time_skipping_env.client

    link = TemporalLink(connect, engine, settings.task_queue)
    claims: list[object] = []

    def count_pass(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE OUTBOX") and "claim_token" in statement:
            claims.append(statement)

    def queue(number: int) -> None:
        with Session(engine) as session, session.begin():
            queue_start(session, workflow_id=f"flush-{number}", workflow="Nothing", payload={})

    async def command(number: int) -> OutboxState:
        await asyncio.to_thread(queue, number)
        await link.flush_outbox()
        return outbox(engine, f"flush-{number}")[0].state

    event.listen(engine, "before_cursor_execute", count_pass)
    try:
        states = await asyncio.gather(*(command(n) for n in range(COMMANDS)))
    finally:
        event.remove(engine, "before_cursor_execute", count_pass)

    assert states == [OutboxState.SENT] * COMMANDS
    assert 1 <= len(claims) < COMMANDS / 2
