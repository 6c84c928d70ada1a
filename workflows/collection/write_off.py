"""InvoiceCollectionWorkflow's write-off decision: a write-off above the approval amount waits
until a finance approver answers this Update; the validator refuses the wrong people early."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.receivables.registry import ReceivablesActivities
    from models.errors import Conflict, Forbidden
    from models.receivables.policies import WRITE_OFF_APPROVER_ROLES
    from models.sales.messages import WriteOffDecision
    from workflows.steps import db_step


class WriteOffApproval:
    """Mixed into InvoiceCollectionWorkflow, whose main loop re-reads the invoice on `changed`."""

    changed: bool

    @workflow.update
    async def decide_write_off(self, decision: WriteOffDecision) -> str:
        try:
            state = await db_step(
                ReceivablesActivities.decide_write_off,
                decision.model_copy(update={"at": workflow.now()}),
            )
        except ActivityError as exc:
            cause = exc.cause
            if isinstance(cause, ApplicationError):
                raise ApplicationError(cause.message, type=cause.type or Conflict.__name__) from exc
            raise
        self.changed = True
        return state

    @decide_write_off.validator
    def _validate_write_off_decision(self, decision: WriteOffDecision) -> None:
        if not WRITE_OFF_APPROVER_ROLES & set(decision.roles):
            raise Forbidden.failure("only a finance approver decides a write-off")
        if decision.user == decision.requested_by:
            raise Forbidden.failure("a write-off is decided by someone other than who asked for it")
