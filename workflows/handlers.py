"""How a workflow ends with its message handlers: an Update or signal handler still running
(waiting for its activity) finishes before the workflow returns, instead of being cut off."""

from __future__ import annotations

from temporalio import workflow

# Histories recorded before workflows waited here returned at once with a handler running:
# the patch keeps those replaying, and only marks histories where the wait changed something.
WAIT_FOR_HANDLERS = "wait-for-handlers"


async def let_handlers_finish() -> None:
    if not workflow.all_handlers_finished() and workflow.patched(WAIT_FOR_HANDLERS):
        await workflow.wait_condition(workflow.all_handlers_finished)
