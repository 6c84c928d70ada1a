"""Reading an order as its rep sees it: status, timeline, shipments and invoices, the approval
it waits for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.fulfilment.shipments import order_shipments
from activities.sales.orders import get_order, timeline
from models.fulfilment.shipments import Shipment
from models.receivables.invoices import Invoice
from models.sales.order_status import SHIPPING
from tests.support.polling import eventually, reading


def status(engine: Engine, order_id: int) -> str:
    with Session(engine) as session:
        return str(get_order(session, order_id).status)


def status_of(engine: Engine, order_id: int) -> Callable[[], Awaitable[str]]:
    """A probe of the order's status, for `eventually`."""
    return reading(status, engine, order_id)


def shipments_of(engine: Engine, order_id: int) -> list[Shipment]:
    with Session(engine) as session:
        return order_shipments(session, order_id)


async def planned_shipments(engine: Engine, order_id: int, count: int = 1) -> list[Shipment]:
    """The order's shipments, once fulfilment has planned `count` of them and the order shows
    them taken up (the warehouse may dispatch them then)."""
    await eventually(reading(status, engine, order_id), lambda s: s in SHIPPING)
    return await eventually(reading(shipments_of, engine, order_id), lambda s: len(s) == count)


def invoices_of(engine: Engine, order_id: int) -> list[Invoice]:
    with Session(engine) as session:
        query = select(Invoice).where(Invoice.order_id == order_id)
        return list(session.exec(query.order_by(col(Invoice.id))).all())


def events_of(engine: Engine, order_id: int) -> list[tuple[str, str, str | None]]:
    """(kind, actor, detail) of each event of the order's timeline."""
    with Session(engine) as session:
        return [(e.kind, e.actor, e.detail) for e in timeline(session, order_id)]


async def level_waiting(engine: Engine, order_id: int, level: int) -> None:
    """Until the workflow has asked for the level's decision (inbox row, mails queued)."""

    async def probe() -> list[str]:
        return [d or "" for kind, _, d in events_of(engine, order_id) if kind == "approval_waiting"]

    await eventually(probe, lambda found: any(d.startswith(f"level {level} ") for d in found))
