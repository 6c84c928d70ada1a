"""Goods received into a warehouse, through the stock use case or the API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.fulfilment.stock import receive_stock
from activities.fulfilment.warehouses import create_warehouse
from models.fulfilment.stock import DEFAULT_WAREHOUSE, StockReceipt
from models.fulfilment.warehouses import WarehouseCreate
from models.security.users import Role
from tests.support.api_client import ApiClient


def receive(
    engine: Engine,
    quantity: int,
    sku: str = "WIDGET",
    warehouse: str = DEFAULT_WAREHOUSE,
    at: datetime | None = None,
) -> None:
    """A receipt booked by the warehouse; it serves waiting orders as a real one does."""
    receipt = StockReceipt(sku=sku, quantity=Decimal(quantity), warehouse=warehouse)
    with Session(engine) as session, session.begin():
        receive_stock(session, receipt, "warehouse", at)


def warehouse(engine: Engine, code: str, name: str) -> None:
    with Session(engine) as session, session.begin():
        create_warehouse(session, WarehouseCreate(code=code, name=name))


async def posted_receipt(api: ApiClient, sku: str, quantity: str) -> dict[str, Any]:
    """A receipt posted by the warehouse through the API; the stock level it answers."""
    body = {"sku": sku, "quantity": quantity}
    response = await api.post("/stock/receipts", Role.WAREHOUSE, body, expect=201)
    return response.json()  # type: ignore[no-any-return]
