"""Shipments of an order: what leaves which warehouse, with which carrier, where it is on the
way (carrier tracking events), and when it arrived."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import optional_timestamp_field, timestamp_field
from models.fields import Day, Line, Moment, Note
from models.fulfilment.stock import DEFAULT_WAREHOUSE, quantity_column
from models.money import QuantityOut


class ShipmentStatus(StrEnum):
    PLANNED = "planned"
    CREDIT_HOLD = "credit_hold"
    DISPATCHED = "dispatched"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


OPEN_SHIPMENT = (ShipmentStatus.PLANNED, ShipmentStatus.CREDIT_HOLD)
ON_THE_WAY = (ShipmentStatus.DISPATCHED, ShipmentStatus.IN_TRANSIT)


class CarrierStatus(StrEnum):
    """What a carrier's webhook reports; `delivered` delivers the shipment."""

    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    EXCEPTION = "exception"
    DELIVERED = "delivered"


class Shipment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    status: ShipmentStatus = Field(default=ShipmentStatus.PLANNED, index=True)
    warehouse: str = Field(default=DEFAULT_WAREHOUSE, max_length=32)
    carrier: str | None = Field(default=None, max_length=64)
    tracking_number: str | None = Field(default=None, max_length=64)
    eta: date | None = None
    key: str = Field(unique=True, max_length=160)
    created_at: datetime = timestamp_field()
    dispatched_at: datetime | None = optional_timestamp_field()
    delivered_at: datetime | None = optional_timestamp_field()
    carrier_status: str | None = Field(default=None, max_length=32)
    location: str | None = Field(default=None, max_length=200)
    last_event_at: datetime | None = optional_timestamp_field()
    hold_reason: str | None = None
    late_alert_at: datetime | None = optional_timestamp_field()


class ShipmentLine(SQLModel, table=True):
    __tablename__ = "shipment_line"
    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipment.id", index=True)
    order_line_id: int = Field(foreign_key="order_line.id")
    sku: str = Field(max_length=64)
    quantity: Decimal = Field(sa_column=quantity_column())


class TrackingEvent(SQLModel, table=True):
    """Every carrier event as received; `applied` is false for one older than what we know."""

    __tablename__ = "tracking_event"
    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipment.id", index=True)
    event_id: str = Field(unique=True, max_length=128)
    status: str = Field(max_length=32)
    location: str | None = None
    eta: date | None = None
    received_at: datetime = timestamp_field()
    occurred_at: datetime | None = optional_timestamp_field()
    applied: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    # Who sent it: `carrier:<name>` for a carrier's signed event, else the user's name.
    sent_by: str | None = Field(default=None, max_length=80)


class DispatchRequest(SQLModel):
    carrier: Line = Field(max_length=64)
    tracking_number: Line = Field(max_length=64)
    eta: Day


class TrackingRequest(SQLModel):
    status: CarrierStatus
    location: Line | None = Field(default=None, max_length=200)
    eta: Day | None = None
    event_id: Line = Field(max_length=128)
    occurred_at: Moment | None = Field(
        default=None, description="when the carrier saw it; orders out-of-order events"
    )


class DeliverRequest(SQLModel):
    delivered_at: Moment | None = None


class ReleaseShipmentRequest(SQLModel):
    comment: Note = Field(max_length=2000)


class ShipmentLinePublic(SQLModel):
    sku: str
    quantity: QuantityOut


class TrackingEventPublic(SQLModel):
    event_id: str
    status: str
    location: str | None
    eta: date | None
    occurred_at: datetime | None
    received_at: datetime
    applied: bool
    sent_by: str | None = None


class ShipmentPublic(SQLModel):
    id: int
    order_id: int
    status: ShipmentStatus
    warehouse: str
    carrier: str | None
    tracking_number: str | None
    eta: date | None
    dispatched_at: datetime | None
    delivered_at: datetime | None
    carrier_status: str | None = None
    location: str | None = None
    hold_reason: str | None = None
    late_alert_at: datetime | None = None
    lines: list[ShipmentLinePublic] = []
