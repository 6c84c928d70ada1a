"""DunningDigestWorkflow (`schedule-dunning-digest`, run daily by a Temporal Schedule): one
e-mail per customer listing every invoice that reached a reminder or dunning level."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.collection.registry import CollectionActivities
    from models.collection.messages import DigestInput
    from workflows.handlers import let_handlers_finish
    from workflows.steps import batch_step, send_mails


@workflow.defn
class DunningDigestWorkflow:
    @workflow.run
    async def run(self) -> int:
        digests = await batch_step(
            CollectionActivities.send_dunning_digests, DigestInput(on=workflow.now().date())
        )
        await send_mails(digests.outbox_ids)
        await let_handlers_finish()
        return len(digests.outbox_ids)
