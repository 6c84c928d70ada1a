"""InvoiceCollectionWorkflow's last resort: after a while at the last level it proposes a
bad-debt write-off; a finance approver accepts it (the write-off is posted and the collection
ends) or refuses it (dunning goes on) through an Update."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.collection.registry import CollectionActivities
    from models.collection.messages import (
        BadDebtDecision,
        BadDebtDecisionInput,
        WriteOffBadDebtInput,
    )
    from models.collection.progress import ProposalProgress
    from models.errors import Conflict, Forbidden
    from models.sales.messages import InvoiceRef
    from workflows.collection.state import CollectionState
    from workflows.steps import db_step, send_mails

DECIDERS = ("finance", "admin")


class BadDebtStage(CollectionState):
    def __init__(self) -> None:
        super().__init__()
        self.proposal = ProposalProgress()

    def proposal_due(self) -> datetime | None:
        assert self.plan is not None
        after = self.plan.terms.write_off_after_days
        if after is None or self.last_level_at is None or self.proposal.id is not None:
            return None
        if self.dunning_paused_by:
            return None
        return self.last_level_at + timedelta(days=after)

    async def propose_write_off(self) -> None:
        due = self.proposal_due()
        if due is None or workflow.now() < due:
            return
        proposed = await db_step(
            CollectionActivities.propose_bad_debt,
            InvoiceRef(invoice_id=self.invoice_id, at=workflow.now()),
        )
        self.proposal.id = proposed.proposal_id
        self.proposal.open = True
        await send_mails(proposed.mail_outbox_ids)

    @workflow.update
    async def decide_bad_debt_write_off(self, decision: BadDebtDecision) -> str:
        assert self.proposal.id is not None
        self.proposal.open = False
        await db_step(
            CollectionActivities.decide_bad_debt,
            BadDebtDecisionInput(
                **decision.model_dump(),
                proposal_id=self.proposal.id,
                invoice_id=self.invoice_id,
                at=workflow.now(),
            ),
        )
        if decision.accept:
            self.position = await db_step(
                CollectionActivities.write_off_bad_debt,
                WriteOffBadDebtInput(
                    invoice_id=self.invoice_id, proposal_id=self.proposal.id, at=workflow.now()
                ),
            )
        self.money_moved()
        return "accepted" if decision.accept else "refused"

    @decide_bad_debt_write_off.validator
    def _validate_bad_debt_decision(self, decision: BadDebtDecision) -> None:
        if not set(decision.roles) & set(DECIDERS):
            raise Forbidden.failure("a bad-debt write-off is decided by finance")
        if not self.proposal.open:
            raise Conflict.failure("no bad-debt write-off is proposed")
