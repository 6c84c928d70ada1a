"""The lifecycle ceiling: a workflow of six local-activity steps and two signals, nothing else
(its own module, so the workflow sandbox imports only temporalio)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity, workflow


@activity.defn(name="noop_step")
def noop_step(step: int) -> int:
    return step


@workflow.defn
class NoopLifecycleWorkflow:
    def __init__(self) -> None:
        self.signals = 0

    @workflow.run
    async def run(self) -> int:
        for step in range(6):
            await workflow.execute_local_activity(
                noop_step, step, start_to_close_timeout=timedelta(seconds=10)
            )
            if step == 2:
                await workflow.wait_condition(lambda: self.signals >= 1)
            if step == 4:
                await workflow.wait_condition(lambda: self.signals >= 2)
        return self.signals

    @workflow.signal
    def advance(self) -> None:
        self.signals += 1
