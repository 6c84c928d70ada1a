"""An order with its approvals, credit holds, shipments and invoices: the one read model that
joins every area, so it sits downstream of them all."""

from __future__ import annotations

from sqlmodel import Session, col, select

from activities.fulfilment import shipments
from activities.receivables import invoices
from activities.sales import credit, orders
from models.fulfilment.shipments import Shipment
from models.receivables.invoices import Invoice
from models.sales.order_detail import OrderDetail


def order_detail(session: Session, order_id: int) -> OrderDetail:
    order = orders.get_order(session, order_id)
    public = orders.to_public(session, order)
    order_shipments = session.exec(
        select(Shipment).where(Shipment.order_id == order_id).order_by(col(Shipment.id))
    ).all()
    order_invoices = session.exec(
        select(Invoice).where(Invoice.order_id == order_id).order_by(col(Invoice.id))
    ).all()
    return OrderDetail(
        **public.model_dump(),
        approvals=orders.approvals_of(session, order_id),
        shipments=[shipments.to_public(session, s) for s in order_shipments],
        invoices=[invoices.to_public(session, i) for i in order_invoices],
        credit_holds=credit.holds_of(session, order_id),
    )
