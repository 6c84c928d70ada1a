"""One relay pass with many workflows' messages: each workflow's start and signals arrive in the
order they were written (a signal before its start would find no workflow), though the pass
talks to different workflows at the same time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.workflow_outbox import queue_signal, queue_start
from bench._noop_workflow import NoopLifecycleWorkflow, noop_step
from models.outbox import OutboxState
from o2c.relay import PARALLEL, relay_once
from tests.support.database import outbox

WORKFLOWS = PARALLEL + 5


def queued(engine: Engine) -> list[str]:
    """Each workflow's start, then its two signals, written in that order."""
    ids = [f"relay-pass-{n}" for n in range(WORKFLOWS)]
    with Session(engine) as session, session.begin():
        for workflow_id in ids:
            queue_start(
                session, workflow_id=workflow_id, workflow="NoopLifecycleWorkflow", payload={}
            )
            for number in (1, 2):
                key = f"{workflow_id}-advance-{number}"
                queue_signal(
                    session, key=key, workflow_id=workflow_id, signal="advance", payload={}
                )
    return ids


async def test_a_pass_delivers_every_workflows_messages_in_their_order(
    engine: Engine, time_skipping_env: WorkflowEnvironment
) -> None:
    ids = queued(engine)
    client = time_skipping_env.client
    async with Worker(
        client,
        task_queue="relay-pass",
        workflows=[NoopLifecycleWorkflow],
        activities=[noop_step],
        activity_executor=ThreadPoolExecutor(4),
    ):
        delivered = await relay_once(client, engine, "relay-pass")
        results = [await client.get_workflow_handle(i).result() for i in ids]

    assert delivered == WORKFLOWS * 3
    assert results == [2] * WORKFLOWS
    assert {m.state for i in ids for m in outbox(engine, i)} == {OutboxState.SENT}
