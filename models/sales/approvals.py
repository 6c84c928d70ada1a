"""Approval requests waiting for a person: one row per order revision and level, the source of
each approver's inbox (`GET /approvals?status=pending`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import money_field, optional_timestamp_field, timestamp_field
from models.money import Amount


class TaskStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    CLOSED = "closed"  # the order was amended or cancelled before anyone decided


class ApprovalTask(SQLModel, table=True):
    __tablename__ = "approval_task"
    __table_args__ = (UniqueConstraint("order_id", "revision", "level"),)
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="sales_order.id", index=True)
    revision: int = 1
    level: int
    name: str = Field(max_length=100)
    role: str | None = Field(default=None, max_length=32)
    user: str | None = Field(default=None, max_length=64)
    escalated_to: str | None = Field(default=None, max_length=32)
    status: TaskStatus = Field(default=TaskStatus.PENDING, index=True)
    total: Decimal = money_field()
    created_at: datetime = timestamp_field()
    escalated_at: datetime | None = optional_timestamp_field()
    closed_at: datetime | None = optional_timestamp_field()


class ApprovalTaskPublic(SQLModel):
    order_id: int
    order_number: str
    customer_id: int
    revision: int
    level: int
    name: str
    role: str | None
    user: str | None
    escalated_to: str | None
    status: TaskStatus
    total: Amount
    created_by: str
    created_at: datetime
