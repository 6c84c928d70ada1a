"""The baseline of the dunning benchmark: a workflow that only waits on a timer to a given
moment and ends, the least any dunning step can cost."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow


@workflow.defn
class BenchTimerWorkflow:
    @workflow.run
    async def run(self, fire_at: datetime) -> None:
        wait = fire_at - workflow.now()
        if wait.total_seconds() > 0:
            await workflow.sleep(wait)
