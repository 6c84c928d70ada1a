"""CreditAlertsWorkflow (`schedule-credit-alerts`, run daily by a Temporal Schedule): mails the
credit managers every customer that crossed 80 % or 100 % utilisation or dropped a grade."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.credit.registry import CreditActivities
    from models.credit.alerts import AlertRunInput
    from workflows.handlers import let_handlers_finish
    from workflows.steps import batch_step, send_mails


@workflow.defn
class CreditAlertsWorkflow:
    @workflow.run
    async def run(self, digest_above: int) -> int:
        alerts = await batch_step(
            CreditActivities.send_credit_alerts,
            AlertRunInput(on=workflow.now().date(), digest_above=digest_above),
        )
        await send_mails(alerts.outbox_ids)
        await let_handlers_finish()
        return len(alerts.outbox_ids)
