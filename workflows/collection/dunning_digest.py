"""DunningDigestWorkflow (`schedule-dunning-digest`, run daily by a Temporal Schedule): one
e-mail per customer listing every invoice that reached a reminder or dunning level."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.collection.messages import DigestInput, DigestResult
    from models.sales.messages import DeliverEmailInput
    from workflows.steps import DB_RETRY, mail_step


@workflow.defn
class DunningDigestWorkflow:
    @workflow.run
    async def run(self) -> int:
        digests = await workflow.execute_activity(
            "send_dunning_digests",
            DigestInput(on=workflow.now().date()),
            result_type=DigestResult,
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=DB_RETRY,
        )
        for outbox_id in digests.outbox_ids:
            await mail_step("deliver_email", DeliverEmailInput(outbox_id=outbox_id))
        return len(digests.outbox_ids)
