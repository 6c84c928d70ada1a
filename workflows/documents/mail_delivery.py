"""MailDeliveryWorkflow (`mail-{outbox_id}`): one queued mail sent on its own, for a workflow that
goes on without waiting for it. The invoice mail carries a PDF rendered (once per version, in the
worker's PDF processes) in about a second: the order starts this as a child that outlives it
(parent close policy ABANDON), so neither its collection nor its close waits for the PDF. Its
`deliver_email` runs on the documents queue (`{task_queue}-documents`, the worker's documents
worker), so mails waiting for their PDFs never take the slots of the order steps."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.sales.messages import DeliverEmailInput
    from models.workflow_ids import documents_task_queue
    from workflows.steps import send_mail


# A busy moment queues PDFs behind each other in the worker's PDF processes; a worker that died
# mid-mail is noticed when it runs out (a timed-out render still stores its PDF for the retry).
PDF_QUEUE_TIMEOUT = timedelta(minutes=2)


@workflow.defn(name="MailDeliveryWorkflow")
class MailDeliveryWorkflow:
    @workflow.run
    async def run(self, mail: DeliverEmailInput) -> None:
        await send_mail(
            mail.outbox_id,
            task_queue=documents_task_queue(workflow.info().task_queue),
            timeout=PDF_QUEUE_TIMEOUT,
        )
