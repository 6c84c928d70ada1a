"""Inputs and results of the fulfilment activities that OrderWorkflow and ShipmentWorkflow call."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class FulfilmentInput(BaseModel):
    order_id: int
    at: datetime


class FulfilmentPlan(BaseModel):
    """Where the order's fulfilment stands after reserving what it can and planning shipments."""

    shipments: list[int] = []  # every shipment not cancelled
    dispatched: list[int] = []  # those that left the warehouse, in dispatch order
    status: str
    shortages: list[str] = []
    all_dispatched: bool = False
    reserved_until: datetime | None = None


class ExpiryResult(BaseModel):
    released: bool
    cancelled_shipments: list[int] = []
    mail_ids: list[int] = []


class ShipmentRef(BaseModel):
    shipment_id: int
    at: datetime


class ShipmentState(BaseModel):
    shipment_id: int
    order_id: int
    status: str
    eta: date | None
    late_alerted: bool


class LateAlert(BaseModel):
    mail_ids: list[int] = []


class ShipmentRelease(BaseModel):
    user: str
    comment: str


class ShipmentReleaseInput(BaseModel):
    shipment_id: int
    user: str
    comment: str
    at: datetime
