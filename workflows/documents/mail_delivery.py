"""MailDeliveryWorkflow (`mail-{outbox_id}`): one queued mail sent on its own, for a workflow that
goes on without waiting for it. The invoice mail carries a PDF rendered (once per version, in the
worker's PDF processes) in about a second: the order starts this as a child that outlives it
(parent close policy ABANDON), so neither its collection nor its close waits for the PDF."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.sales.messages import DeliverEmailInput
    from workflows.steps import send_mail


@workflow.defn(name="MailDeliveryWorkflow")
class MailDeliveryWorkflow:
    @workflow.run
    async def run(self, mail: DeliverEmailInput) -> None:
        await send_mail(mail.outbox_id)
