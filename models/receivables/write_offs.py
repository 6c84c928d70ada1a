"""Write-offs: an invoice's remaining debt given up, with a reason. Large ones wait for a finance
approver; small differences on a payment are written off in the same request."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import money_field, optional_timestamp_field, timestamp_field
from models.fields import Day, Line, Note
from models.money import Amount


class WriteOffState(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    POSTED = "posted"
    REJECTED = "rejected"
    REVERSED = "reversed"  # a payment difference whose payment bounced


class WriteOff(SQLModel, table=True):
    __tablename__ = "write_off"
    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    amount: Decimal = money_field()
    reason: str
    state: WriteOffState = Field(default=WriteOffState.POSTED, index=True)
    requested_on: date
    posted_on: date | None = None
    requested_by: str = Field(max_length=64)
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = optional_timestamp_field()
    key: str = Field(unique=True, max_length=160)
    created_at: datetime = timestamp_field()


class WriteOffCreate(SQLModel):
    amount: Amount | None = Field(default=None, gt=0, description="default: all that is open")
    reason: Line = Field(max_length=500)
    on: Day | None = None


class WriteOffDecisionRequest(SQLModel):
    approve: bool = True
    comment: Note | None = Field(default=None, max_length=500)


class WriteOffPublic(SQLModel):
    id: int
    invoice_id: int
    customer_id: int
    amount: Amount
    reason: str
    state: WriteOffState
    requested_on: date
    posted_on: date | None
    requested_by: str
    decided_by: str | None


class WaitingWriteOff(SQLModel):
    """A write-off waiting for a finance approver, with what the approver needs to decide."""

    write_off: WriteOffPublic
    invoice_number: str
    customer_name: str
    currency: str
    outstanding: Amount
