"""Sales' Temporal activities (order status, approval, credit hold, amendment): each runs one use
case in its own transaction. Workflows call them by method (workflows/steps.py); the names are
the ones recorded in running workflows' histories, so they never change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from temporalio import activity

from activities.sales import amendments, approvals, credit_holds, orders
from activities.transaction import run_command
from models.sales.messages import (
    AmendOrderInput,
    AmendResult,
    ApprovalNotice,
    ApprovalPlan,
    DecisionInput,
    DecisionRecorded,
    ExpireApprovalInput,
    HoldExpiryInput,
    MailsQueued,
    OrderEnded,
    OrderRef,
    ReleaseHoldInput,
    StatusChangeInput,
)
from o2c.settings import DEFAULT_PUBLIC_URL


class SalesActivities:
    def __init__(self, engine: Engine, public_url: str = DEFAULT_PUBLIC_URL) -> None:
        self.engine = engine
        self.public_url = public_url

    @activity.defn(name="change_status")
    def change_status(self, data: StatusChangeInput) -> None:
        run_command(self.engine, orders.change_status, data)

    @activity.defn(name="record_decision")
    def record_decision(self, data: DecisionInput) -> DecisionRecorded | None:
        # None only in histories recorded before the step answered with the decision.
        return run_command(self.engine, approvals.record_decision, data)

    @activity.defn(name="plan_approval")
    def plan_approval(self, data: OrderRef) -> ApprovalPlan:
        return run_command(self.engine, approvals.plan_approval, data)

    @activity.defn(name="notify_approvers")
    def notify_approvers(self, data: ApprovalNotice) -> MailsQueued:
        return run_command(self.engine, approvals.notify_approvers, data, self.public_url)

    @activity.defn(name="expire_approval")
    def expire_approval(self, data: ExpireApprovalInput) -> OrderEnded:
        return run_command(self.engine, approvals.expire_approval, data)

    @activity.defn(name="release_credit_hold")
    def release_credit_hold(self, data: ReleaseHoldInput) -> None:
        run_command(self.engine, credit_holds.release_hold, data.order_id, data.release, data.at)

    @activity.defn(name="expire_credit_hold")
    def expire_credit_hold(self, data: HoldExpiryInput) -> OrderEnded:
        return run_command(self.engine, credit_holds.expire_hold, data)

    @activity.defn(name="amend_order")
    def amend_order(self, data: AmendOrderInput) -> AmendResult:
        return run_command(self.engine, amendments.amend_order, data)

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.change_status,
            self.record_decision,
            self.plan_approval,
            self.notify_approvers,
            self.expire_approval,
            self.release_credit_hold,
            self.expire_credit_hold,
            self.amend_order,
        ]
