"""Reading stock as the warehouse sees it: levels, and what a shipment carries."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.fulfilment.shipments import shipment_lines
from models.fulfilment.shipments import Shipment
from models.fulfilment.stock import DEFAULT_WAREHOUSE, StockLevel


def level(engine: Engine, sku: str = "WIDGET", warehouse: str = DEFAULT_WAREHOUSE) -> StockLevel:
    """On hand and reserved of the SKU in the warehouse."""
    with Session(engine) as session:
        query = select(StockLevel).where(StockLevel.sku == sku, StockLevel.warehouse == warehouse)
        return session.exec(query).one()


def quantity_in(engine: Engine, shipment: Shipment) -> Decimal:
    """How many units the shipment carries, all lines together."""
    with Session(engine) as session:
        return sum((x.quantity for x in shipment_lines(session, shipment.id or 0)), Decimal(0))
