"""An open order's line brought over from the old system: one row of the open-orders file.
Table-free, pure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from models.fields import Code, Line


class OpenOrderStatus(StrEnum):
    """How far the old system had taken the order: approved, or with its stock set aside."""

    APPROVED = "approved"
    AWAITING_SHIPMENT = "awaiting_shipment"


class OpenOrderLine(BaseModel):
    order_number: Line = Field(max_length=32)
    customer_code: Code = Field(max_length=32)
    status: OpenOrderStatus
    order_date: date
    requested_date: date | None = None
    sku: Code = Field(max_length=64)
    quantity: Decimal = Field(gt=0)
    unit_price: Decimal | None = Field(default=None, ge=0)

    @property
    def order(self) -> tuple[str, OpenOrderStatus, date, date | None]:
        """What every line of one order must say alike."""
        return (self.customer_code, self.status, self.order_date, self.requested_date)
