"""A database step cancelled while its transaction runs (a local activity past its timeout): the
Temporal SDK raises the cancellation inside the activity's thread at whatever line it is on. Had
it landed inside the transaction's own machinery (SQLite's write turn, the pool's check-in), the
turn stayed taken and every later command of the process waited for it until it gave up, which
is how a loaded lifecycle bench stalled. A transaction now runs to its end (commit or rollback)
and the cancellation is raised after it. Real Temporal, real SQLite, real threads."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio import activity, workflow
from temporalio.client import WorkflowFailureError
from temporalio.common import RetryPolicy
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from activities.numbering import next_number
from activities.transaction import run_command
from models.outbox import DocumentSequence

# The step's transaction outlasts its timeout by this much.
STEP_TIMEOUT = timedelta(seconds=1)
STEP_TAKES = 3.0


class SlowStep:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @activity.defn(name="slow_numbering_step")
    def run(self) -> str:
        return run_command(self.engine, self._number_slowly)

    @staticmethod
    def _number_slowly(session: Session) -> str:
        number = next_number(session, "SO", 2026)  # writes: this transaction holds the turn
        session.flush()
        deadline = time.monotonic() + STEP_TAKES
        while time.monotonic() < deadline:  # Python lines, where a thread's exception lands
            time.sleep(0.02)
        return number


@workflow.defn(name="slow_numbering")
class SlowNumberingWorkflow:
    @workflow.run
    async def run(self) -> str:
        return await workflow.execute_local_activity(
            "slow_numbering_step",
            start_to_close_timeout=STEP_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=1),
            result_type=str,
        )


def _last(engine: Engine) -> int:
    with Session(engine) as session:
        row = session.exec(select(DocumentSequence).where(DocumentSequence.series == "SO")).first()
        return row.last if row else 0


@pytest.mark.asyncio
async def test_a_step_cancelled_mid_transaction_finishes_it_and_leaves_the_write_turn_free(
    time_skipping_env: WorkflowEnvironment, sqlite_engine: Engine
) -> None:
    queue = f"cancelled-{uuid.uuid4()}"
    async with Worker(
        time_skipping_env.client,
        task_queue=queue,
        workflows=[SlowNumberingWorkflow],
        activities=[SlowStep(sqlite_engine).run],
        activity_executor=ThreadPoolExecutor(2),
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        with pytest.raises(WorkflowFailureError):  # the step timed out, as it should
            await time_skipping_env.client.execute_workflow(
                SlowNumberingWorkflow.run, id=f"slow-{uuid.uuid4()}", task_queue=queue
            )
        # The cancellation waited for the transaction: the number it took is committed, not
        # rolled back half-way by an exception raised between two of its statements.
        assert _last(sqlite_engine) == 1
    # And the write turn is free: the next command writes at once.
    started = time.monotonic()
    run_command(sqlite_engine, next_number, "SO", 2026)
    assert _last(sqlite_engine) == 2
    assert time.monotonic() - started < 5
