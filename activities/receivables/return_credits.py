"""The credit note for returned goods: the returned quantities of the invoice lines that billed
them, issued in the return's transaction (once per return)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.fulfilment.returns import record_return, return_public
from activities.fulfilment.stock import DEFAULT_HOLD_DAYS
from activities.receivables.credit_notes import issue_credit_note
from models.fulfilment.returns import (
    GoodsReturn,
    GoodsReturnLine,
    ReturnCreate,
    ReturnPublic,
    ReturnStatus,
)
from models.receivables.credit_notes import CreditLineRequest
from models.receivables.invoices import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus


def _billing_lines(
    session: Session, order_id: int, shipment_id: int, order_line_ids: list[int]
) -> dict[int, InvoiceLine]:
    """Per order line, the invoice line that billed it: this shipment's invoice first, else the
    order's invoice (billed on order)."""
    rows = session.exec(
        select(InvoiceLine, Invoice)
        .join(Invoice, col(Invoice.id) == col(InvoiceLine.invoice_id))
        .where(Invoice.order_id == order_id, Invoice.kind == InvoiceKind.INVOICE)
        .where(Invoice.status != InvoiceStatus.VOID)
        .where(col(InvoiceLine.order_line_id).in_(order_line_ids))
        .order_by(col(Invoice.id))
    ).all()
    shipment_key = f"/invoice/shipment-{shipment_id}"
    found: dict[int, InvoiceLine] = {}
    for line, invoice in rows:
        order_line = line.order_line_id or 0
        if order_line not in found or invoice.key.endswith(shipment_key):
            found[order_line] = line
    return found


def credit_return(session: Session, goods_return: GoodsReturn, on: date, user: str) -> bool:
    """Credit what came back; False (the return stays awaiting a credit note) when nothing of
    it has been invoiced yet."""
    lines = session.exec(
        select(GoodsReturnLine).where(GoodsReturnLine.return_id == goods_return.id)
    ).all()
    billed = _billing_lines(
        session, goods_return.order_id, goods_return.shipment_id, [x.order_line_id for x in lines]
    )
    if len(billed) < len({x.order_line_id for x in lines}):
        return False
    per_invoice: dict[int, list[CreditLineRequest]] = defaultdict(list)
    quantities: dict[int, Decimal] = defaultdict(Decimal)
    for returned in lines:
        quantities[returned.order_line_id] += returned.quantity
    for order_line_id, quantity in quantities.items():
        line = billed[order_line_id]
        per_invoice[line.invoice_id].append(
            CreditLineRequest(invoice_line_id=line.id or 0, quantity=quantity)
        )
    for invoice_id, requests in per_invoice.items():
        issue_credit_note(
            session,
            invoice_id,
            reason=f"return {goods_return.id} of shipment {goods_return.shipment_id}",
            key=f"return-{goods_return.id}/invoice-{invoice_id}",
            on=on,
            lines=requests,
            user=user,
        )
    goods_return.status = ReturnStatus.CREDITED
    session.add(goods_return)
    return True


def receive_return(
    session: Session,
    shipment_id: int,
    data: ReturnCreate,
    user: str,
    now: datetime,
    hold_days: int = DEFAULT_HOLD_DAYS,
) -> ReturnPublic:
    """Delivered goods coming back: into stock, then credited at once, in one transaction."""
    goods_return = record_return(session, shipment_id, data, user, now, hold_days)
    credit_return(session, goods_return, now.date(), user)
    return return_public(session, goods_return)
