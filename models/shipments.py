"""Shipments of an order: what leaves the warehouse, with which carrier, and when it arrived."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import optional_timestamp_field, timestamp_field
from models.money import DecimalStr
from models.stock import DEFAULT_WAREHOUSE, quantity_column


class ShipmentStatus(StrEnum):
    PLANNED = "planned"
    DISPATCHED = "dispatched"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


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


class ShipmentLine(SQLModel, table=True):
    __tablename__ = "shipment_line"
    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipment.id", index=True)
    order_line_id: int = Field(foreign_key="order_line.id")
    sku: str = Field(max_length=64)
    quantity: Decimal = Field(sa_column=quantity_column())


class TrackingEvent(SQLModel, table=True):
    __tablename__ = "tracking_event"
    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipment.id", index=True)
    event_id: str = Field(unique=True, max_length=128)
    status: str = Field(max_length=32)
    location: str | None = None
    eta: date | None = None
    received_at: datetime = timestamp_field()


class DispatchRequest(SQLModel):
    carrier: str = Field(min_length=1, max_length=64)
    tracking_number: str = Field(min_length=1, max_length=64)
    eta: date


class TrackingRequest(SQLModel):
    status: str = Field(min_length=1, max_length=32)
    location: str | None = Field(default=None, max_length=200)
    eta: date | None = None
    event_id: str = Field(min_length=1, max_length=128)


class DeliverRequest(SQLModel):
    delivered_at: datetime | None = None


class ShipmentLinePublic(SQLModel):
    sku: str
    quantity: DecimalStr


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
    lines: list[ShipmentLinePublic] = []
