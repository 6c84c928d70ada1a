"""The Temporal activities: each opens one transaction around a use case of this package.
Workflows call them by name (see workflows/steps.py); sync ones run on the worker's threads."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio import activity

from activities import credit, fulfilment, invoices, orders, shipments
from activities.fulfilment import FulfilmentConfig
from models.fulfilment_messages import (
    ExpiryResult,
    FulfilmentInput,
    FulfilmentPlan,
    LateAlert,
    ShipmentRef,
    ShipmentReleaseInput,
    ShipmentState,
)
from models.outbox import OutboxMessage, OutboxState
from models.workflow_messages import (
    CreditCheckInput,
    CreditCheckResult,
    DecisionInput,
    DeliverEmailInput,
    InvoiceIssued,
    InvoicePosition,
    InvoiceRef,
    IssueInvoiceInput,
    StatusChangeInput,
)
from notifications.mailer import build_message, send_message


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

    @activity.defn(name="check_credit")
    def check_credit(self, data: CreditCheckInput) -> CreditCheckResult:
        with self._session() as session, session.begin():
            return credit.check_order_credit(session, data.order_id, data.at.date())

    @activity.defn(name="record_decision")
    def record_decision(self, data: DecisionInput) -> None:
        with self._session() as session, session.begin():
            orders.record_decision(session, data)

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
            return invoices.issue_for_shipment(session, data, self.seller)

    @activity.defn(name="invoice_position")
    def invoice_position(self, data: InvoiceRef) -> InvoicePosition:
        with self._session() as session:
            return invoices.position(session, data.invoice_id)

    @activity.defn(name="mark_invoice_overdue")
    def mark_invoice_overdue(self, data: InvoiceRef) -> InvoicePosition:
        with self._session() as session, session.begin():
            return invoices.mark_overdue(session, data.invoice_id)

    @activity.defn(name="deliver_email")
    async def deliver_email(self, data: DeliverEmailInput) -> None:
        """Send one queued mail; a mail already marked sent is not sent again."""
        with self._session() as session:
            mail = session.get(OutboxMessage, data.outbox_id)
            if mail is None or mail.state == OutboxState.SENT:
                return
        message = build_message(
            sender=self.sender,
            to=mail.target,
            subject=mail.name,
            text=mail.payload["text"],
            html=mail.payload["html"],
            message_id=f"<{mail.key.replace('/', '.')}@o2c>",
        )
        await send_message(message, host=self.smtp_host, port=self.smtp_port)
        with self._session() as session, session.begin():
            sent = session.get(OutboxMessage, data.outbox_id)
            assert sent is not None
            sent.state = OutboxState.SENT
            sent.attempts += 1
            sent.sent_at = datetime.now(UTC)
            session.add(sent)

    def all(self) -> list[object]:
        return [
            self.change_status,
            self.check_credit,
            self.record_decision,
            self.plan_fulfilment,
            self.fulfilment_position,
            self.expire_reservations,
            self.release_order_stock,
            self.shipment_state,
            self.late_shipment_alert,
            self.release_shipment_hold,
            self.issue_invoice,
            self.invoice_position,
            self.mark_invoice_overdue,
            self.deliver_email,
        ]
