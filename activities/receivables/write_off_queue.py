"""The write-offs waiting for a finance approver's decision, oldest request first."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from activities.master_data.customers import get_customer
from activities.receivables.invoices import get_invoice
from models.receivables.write_offs import (
    WaitingWriteOff,
    WriteOff,
    WriteOffPublic,
    WriteOffState,
)


def waiting_write_offs(
    session: Session, limit: int, offset: int
) -> tuple[list[WaitingWriteOff], int]:
    waiting = col(WriteOff.state) == WriteOffState.PENDING_APPROVAL
    total = session.exec(select(func.count()).select_from(WriteOff).where(waiting)).one()
    rows = session.exec(
        select(WriteOff).where(waiting).order_by(col(WriteOff.id)).offset(offset).limit(limit)
    ).all()
    return [_waiting(session, row) for row in rows], int(total)


def _waiting(session: Session, write_off: WriteOff) -> WaitingWriteOff:
    invoice = get_invoice(session, write_off.invoice_id)
    return WaitingWriteOff(
        write_off=WriteOffPublic.model_validate(write_off),
        invoice_number=invoice.number,
        customer_name=get_customer(session, write_off.customer_id).name,
        currency=invoice.currency,
        outstanding=invoice.outstanding,
    )
