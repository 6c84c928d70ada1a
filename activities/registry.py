"""The Temporal activities: each opens one transaction around a use case of this package.
Workflows call them by name (see workflows/steps.py); sync ones run on the worker's threads."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio import activity

from activities.documents import mail_delivery
from activities.documents.mail_delivery import MailServer
from activities.fulfilment import planning as fulfilment
from activities.fulfilment import shipments
from activities.fulfilment.planning import FulfilmentConfig
from activities.receivables import credit_notes, invoices, write_offs
from activities.sales import amendments as order_amendments
from activities.sales import approvals, credit_holds, orders
from models.fulfilment.messages import (
    ExpiryResult,
    FulfilmentInput,
    FulfilmentPlan,
    LateAlert,
    ShipmentRef,
    ShipmentReleaseInput,
    ShipmentState,
)
from models.sales.messages import (
    AmendOrderInput,
    AmendResult,
    ApprovalNotice,
    ApprovalPlan,
    CreditOrderInput,
    DecisionInput,
    DeliverEmailInput,
    ExpireApprovalInput,
    HoldExpiryInput,
    InvoiceIssued,
    InvoicePosition,
    InvoiceRef,
    IssueInvoiceInput,
    MailsQueued,
    OrderEnded,
    OrderRef,
    ReleaseHoldInput,
    StatusChangeInput,
    WriteOffDecision,
)


class O2CActivities:
    def __init__(
        self,
        engine: Engine,
        *,
        seller: str,
        sender: str,
        smtp_host: str,
        smtp_port: int,
        fulfilment: FulfilmentConfig | None = None,
    ) -> None:
        self.engine = engine
        self.fulfilment = fulfilment or FulfilmentConfig(company=seller)
        self.seller = seller
        self.sender = sender
        self.smtp_host = smtp_host
        self.smtp_port = smtp_port

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @activity.defn(name="change_status")
    def change_status(self, data: StatusChangeInput) -> None:
        with self._session() as session, session.begin():
            orders.change_status(session, data)

    @activity.defn(name="record_decision")
    def record_decision(self, data: DecisionInput) -> None:
        with self._session() as session, session.begin():
            approvals.record_decision(session, data)

    @activity.defn(name="plan_approval")
    def plan_approval(self, data: OrderRef) -> ApprovalPlan:
        with self._session() as session:
            return approvals.plan_approval(session, data)

    @activity.defn(name="notify_approvers")
    def notify_approvers(self, data: ApprovalNotice) -> MailsQueued:
        with self._session() as session, session.begin():
            return approvals.notify_approvers(session, data)

    @activity.defn(name="expire_approval")
    def expire_approval(self, data: ExpireApprovalInput) -> OrderEnded:
        with self._session() as session, session.begin():
            return approvals.expire_approval(session, data)

    @activity.defn(name="release_credit_hold")
    def release_credit_hold(self, data: ReleaseHoldInput) -> None:
        with self._session() as session, session.begin():
            credit_holds.release_hold(session, data.order_id, data.release, data.at)

    @activity.defn(name="expire_credit_hold")
    def expire_credit_hold(self, data: HoldExpiryInput) -> OrderEnded:
        with self._session() as session, session.begin():
            return credit_holds.expire_hold(session, data)

    @activity.defn(name="amend_order")
    def amend_order(self, data: AmendOrderInput) -> AmendResult:
        with self._session() as session, session.begin():
            return order_amendments.amend_order(session, data)

    @activity.defn(name="plan_fulfilment")
    def plan_fulfilment(self, data: FulfilmentInput) -> FulfilmentPlan:
        with self._session() as session, session.begin():
            return fulfilment.plan_fulfilment(session, data, self.fulfilment, reserve_now=True)

    @activity.defn(name="fulfilment_position")
    def fulfilment_position(self, data: FulfilmentInput) -> FulfilmentPlan:
        with self._session() as session, session.begin():
            return fulfilment.plan_fulfilment(session, data, self.fulfilment, reserve_now=False)

    @activity.defn(name="expire_reservations")
    def expire_reservations(self, data: FulfilmentInput) -> ExpiryResult:
        with self._session() as session, session.begin():
            return fulfilment.expire_reservations(session, data, self.fulfilment)

    @activity.defn(name="release_order_stock")
    def release_order_stock(self, data: FulfilmentInput) -> list[int]:
        with self._session() as session, session.begin():
            return fulfilment.release_order_stock(session, data, self.fulfilment.hold_days)

    @activity.defn(name="cancel_order_remainder")
    def cancel_order_remainder(self, data: FulfilmentInput) -> list[int]:
        with self._session() as session, session.begin():
            return fulfilment.cancel_remainder(session, data, self.fulfilment.hold_days)

    @activity.defn(name="shipment_state")
    def shipment_state(self, data: ShipmentRef) -> ShipmentState:
        with self._session() as session:
            return fulfilment.shipment_state(session, data)

    @activity.defn(name="late_shipment_alert")
    def late_shipment_alert(self, data: ShipmentRef) -> LateAlert:
        with self._session() as session, session.begin():
            return fulfilment.late_shipment_alert(session, data, self.fulfilment)

    @activity.defn(name="release_shipment_hold")
    def release_shipment_hold(self, data: ShipmentReleaseInput) -> None:
        with self._session() as session, session.begin():
            shipments.release_credit_hold(
                session, data.shipment_id, data.user, data.comment, data.at
            )

    @activity.defn(name="issue_invoice")
    def issue_invoice(self, data: IssueInvoiceInput) -> InvoiceIssued:
        with self._session() as session, session.begin():
            return invoices.issue_order_invoice(session, data, self.seller)

    @activity.defn(name="invoice_policy")
    def invoice_policy(self, data: OrderRef) -> str:
        with self._session() as session:
            return str(invoices.invoice_policy(session, data.order_id))

    @activity.defn(name="credit_cancelled_order")
    def credit_cancelled_order(self, data: CreditOrderInput) -> int:
        with self._session() as session, session.begin():
            notes = credit_notes.credit_cancelled_order(session, data.order_id, data.at.date())
        return len(notes)

    @activity.defn(name="decide_write_off")
    def decide_write_off(self, data: WriteOffDecision) -> str:
        with self._session() as session, session.begin():
            return str(write_offs.decide_write_off(session, data).state)

    @activity.defn(name="invoice_position")
    def invoice_position(self, data: InvoiceRef) -> InvoicePosition:
        with self._session() as session:
            return invoices.position(session, data.invoice_id)

    @activity.defn(name="mark_invoice_overdue")
    def mark_invoice_overdue(self, data: InvoiceRef) -> InvoicePosition:
        with self._session() as session, session.begin():
            return invoices.mark_overdue(session, data.invoice_id, data.at.date())

    @activity.defn(name="deliver_email")
    async def deliver_email(self, data: DeliverEmailInput) -> None:
        """Send one queued mail with its attachments, exactly once (see mail_delivery)."""
        server = MailServer(self.sender, self.smtp_host, self.smtp_port, self.seller)
        await mail_delivery.deliver(self.engine, data.outbox_id, server)

    def all(self) -> list[object]:
        return [
            self.change_status,
            self.record_decision,
            self.plan_approval,
            self.notify_approvers,
            self.expire_approval,
            self.release_credit_hold,
            self.expire_credit_hold,
            self.amend_order,
            self.plan_fulfilment,
            self.fulfilment_position,
            self.expire_reservations,
            self.release_order_stock,
            self.cancel_order_remainder,
            self.shipment_state,
            self.late_shipment_alert,
            self.release_shipment_hold,
            self.issue_invoice,
            self.invoice_policy,
            self.decide_write_off,
            self.credit_cancelled_order,
            self.invoice_position,
            self.mark_invoice_overdue,
            self.deliver_email,
        ]
