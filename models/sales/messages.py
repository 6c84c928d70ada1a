"""Inputs and outputs of workflows, their messages and activities: plain pydantic values that
the pydantic data converter carries exactly (Decimal, date, datetime)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel

from models.collection.messages import DunningPlan
from models.collection.progress import LadderProgress, Pauses, ProposalProgress, TaskFollowUp
from models.sales.order_requests import OrderAmend

# What the workflow outbox names: use cases write its rows (start this workflow, send that
# signal) and never import workflows, so the workflows declare their type and these handlers
# under the same constants (relayed by o2c/relay.py).
ORDER_WORKFLOW = "OrderWorkflow"
INVOICE_COLLECTION_WORKFLOW = "InvoiceCollectionWorkflow"
CREDIT_RELEASED_SIGNAL = "credit_released"  # OrderWorkflow, a ReleaseInput
STOCK_AVAILABLE_SIGNAL = "stock_available"  # OrderWorkflow, no payload
SHIPMENT_EVENT_SIGNAL = "shipment_event"  # ShipmentWorkflow, a ShipmentEvent
SETTLEMENT_SIGNAL = "settlement"  # InvoiceCollectionWorkflow, an InvoiceSettlement


class OrderInput(BaseModel):
    order_id: int
    customer_id: int
    total: Decimal
    status: str = "pending_approval"  # as the entry's credit gate left it
    hold_days: int = 14  # how long a credit hold may wait for release (class policy)
    credit_blocked: bool = False  # held for overdue items: only a payment releases it
    # Approved in the old system and imported: no credit gate or approval, straight to stock.
    imported: bool = False


class OrderResult(BaseModel):
    order_id: int
    status: str


class StatusChangeInput(BaseModel):
    order_id: int
    status: str
    kind: str
    at: datetime
    actor: str = "system"
    detail: str | None = None


class Decision(BaseModel):
    """An approver's answer, carried by the approve/reject Update."""

    user: str
    roles: list[str] = []
    comment: str | None = None
    level: int | None = None  # the level the approver means to decide, when they say


class DecisionInput(BaseModel):
    order_id: int
    level: int
    approved: bool
    user: str
    comment: str | None
    at: datetime
    revision: int = 1
    role: str = "approver"
    final: bool = True  # the last level: its approval approves the order


class DecisionRecorded(BaseModel):
    """A level's decision as the database holds it: this one, or the one recorded by an earlier
    run of the step that a crash cut short before the workflow heard of it."""

    approved: bool
    decided_by: str


class OrderRef(BaseModel):
    order_id: int
    at: datetime


class ApprovalStep(BaseModel):
    """One level an order needs, as the policy in force said when approval was asked."""

    level: int
    name: str
    role: str | None = None
    user: str | None = None
    remind_after: timedelta | None = None
    escalate_after: timedelta | None = None
    escalate_to: str | None = None
    expire_after: timedelta | None = None


class ApprovalPlan(BaseModel):
    revision: int
    created_by: str
    steps: list[ApprovalStep]


class ApprovalNotice(BaseModel):
    """A level is waiting (`waiting`), still waiting (`reminder`), or passed on (`escalated`)."""

    order_id: int
    revision: int
    step: ApprovalStep
    kind: str
    at: datetime


class MailsQueued(BaseModel):
    outbox_ids: list[int] = []


class OrderEnded(BaseModel):
    """What a timer did to the order (`ended` false when something else got there first)."""

    ended: bool
    status: str
    outbox_ids: list[int] = []


class ExpireApprovalInput(BaseModel):
    order_id: int
    revision: int
    level: int
    at: datetime


class Amendment(BaseModel):
    user: str
    order: OrderAmend


class AmendOrderInput(BaseModel):
    order_id: int
    user: str
    order: OrderAmend
    at: datetime


class AmendResult(BaseModel):
    status: str
    revision: int
    total: Decimal
    hold_days: int = 14
    credit_blocked: bool = False


class HoldExpiryInput(BaseModel):
    order_id: int
    at: datetime
    hold_days: int


class ReleaseHoldInput(BaseModel):
    order_id: int
    release: ReleaseInput
    at: datetime


class ReleaseInput(BaseModel):
    user: str
    comment: str


class ShipmentInput(BaseModel):
    shipment_id: int
    order_id: int


class ShipmentEvent(BaseModel):
    """Dispatch, tracking or delivery of a shipment; idempotent by event_id."""

    event_id: str
    shipment_id: int
    kind: str
    at: datetime
    detail: str | None = None


class IssueInvoiceInput(BaseModel):
    """Bill a shipment's quantities, or (no shipment) the order's ordered quantities."""

    order_id: int
    shipment_id: int | None = None
    issue_date: date


class CreditOrderInput(BaseModel):
    """Credit the invoices of an order that was cancelled after it was billed."""

    order_id: int
    at: datetime


class WriteOffDecision(BaseModel):
    """A finance approver's answer to a write-off waiting for approval (Update on collection)."""

    write_off_id: int
    invoice_id: int
    requested_by: str
    user: str
    roles: list[str] = []
    approve: bool = True
    comment: str | None = None
    at: datetime | None = None


class InvoiceIssued(BaseModel):
    invoice_id: int
    number: str
    customer_id: int
    due_date: date
    total: Decimal
    email_outbox_id: int | None


class DeliverEmailInput(BaseModel):
    outbox_id: int


class InvoiceSettlement(BaseModel):
    """Tells an invoice's collection workflow that a payment, credit note, write-off or reversal
    changed what is open; the workflow reads the new position from the database."""

    event_id: str
    invoice_id: int


class InvoiceRef(BaseModel):
    invoice_id: int
    at: datetime


class InvoicePosition(BaseModel):
    invoice_id: int
    outstanding: Decimal
    status: str


# Events an invoice's collection run may reach before it continues as new (docs/collection.md).
COLLECTION_HISTORY_BOUND = 2_000


class CollectionCarry(BaseModel):
    """Everything an invoice's collection run holds, handed to the run it continues as."""

    plan: DunningPlan
    position: InvoicePosition | None
    stale: bool
    level: int
    last_level_at: datetime | None
    pauses: Pauses
    ladder: LadderProgress
    task: TaskFollowUp
    proposal: ProposalProgress


class InvoiceCollectionInput(BaseModel):
    invoice_id: int
    customer_id: int
    due_date: date
    outstanding: Decimal
    history_bound: int = COLLECTION_HISTORY_BOUND
    carried: CollectionCarry | None = None  # set when an earlier run continued as new
    # An invoice imported already overdue starts at the level its days past due call for: the
    # steps below it are passed over, not sent (0: from the first step, as every other invoice).
    start_at_level: int = 0


class CollectionResult(BaseModel):
    invoice_id: int
    outcome: str
