"""Fulfilment's Temporal activities (reserve and plan, expire and release stock, read and alert
on shipments, release a shipment's credit hold): each runs one use case in its own transaction.
Workflows call them by method (workflows/steps.py); the names never change (histories)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from temporalio import activity

from activities.fulfilment import planning, shipments
from activities.fulfilment.planning import FulfilmentConfig
from activities.transaction import run_command
from models.fulfilment.messages import (
    ExpiryResult,
    FulfilmentInput,
    FulfilmentPlan,
    LateAlert,
    ShipmentRef,
    ShipmentReleaseInput,
    ShipmentState,
)


class FulfilmentActivities:
    def __init__(self, engine: Engine, config: FulfilmentConfig) -> None:
        self.engine = engine
        self.config = config

    @activity.defn(name="plan_fulfilment")
    def plan_fulfilment(self, data: FulfilmentInput) -> FulfilmentPlan:
        """Claim stock for what the order still needs, then plan what may ship."""
        return run_command(
            self.engine, planning.plan_fulfilment, data, self.config, reserve_now=True
        )

    @activity.defn(name="fulfilment_position")
    def fulfilment_position(self, data: FulfilmentInput) -> FulfilmentPlan:
        """Plan what may ship with the stock already reserved."""
        return run_command(
            self.engine, planning.plan_fulfilment, data, self.config, reserve_now=False
        )

    @activity.defn(name="expire_reservations")
    def expire_reservations(self, data: FulfilmentInput) -> ExpiryResult:
        return run_command(self.engine, planning.expire_reservations, data, self.config)

    @activity.defn(name="release_order_stock")
    def release_order_stock(self, data: FulfilmentInput) -> list[int]:
        return run_command(self.engine, planning.release_order_stock, data, self.config.hold_days)

    @activity.defn(name="cancel_order_remainder")
    def cancel_order_remainder(self, data: FulfilmentInput) -> list[int]:
        return run_command(self.engine, planning.cancel_remainder, data, self.config.hold_days)

    @activity.defn(name="shipment_state")
    def shipment_state(self, data: ShipmentRef) -> ShipmentState:
        return run_command(self.engine, planning.shipment_state, data)

    @activity.defn(name="late_shipment_alert")
    def late_shipment_alert(self, data: ShipmentRef) -> LateAlert:
        return run_command(self.engine, planning.late_shipment_alert, data, self.config)

    @activity.defn(name="release_shipment_hold")
    def release_shipment_hold(self, data: ShipmentReleaseInput) -> None:
        run_command(
            self.engine,
            shipments.release_credit_hold,
            data.shipment_id,
            data.user,
            data.comment,
            data.at,
        )

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.plan_fulfilment,
            self.fulfilment_position,
            self.expire_reservations,
            self.release_order_stock,
            self.cancel_order_remainder,
            self.shipment_state,
            self.late_shipment_alert,
            self.release_shipment_hold,
        ]
