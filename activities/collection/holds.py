"""Whether dunning has put a customer's new orders on credit hold (read by the credit gate)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models.collection.dunning import DunningStep
from models.receivables.invoices import Invoice, InvoiceStatus

# An invoice in these states is not dunned and puts nobody on hold.
NOT_DUNNED = (
    InvoiceStatus.DISPUTED,
    InvoiceStatus.PAID,
    InvoiceStatus.WRITTEN_OFF,
    InvoiceStatus.VOID,
)


def customer_dunning_hold(session: Session, customer_id: int) -> bool:
    """Has a dunning level put this customer's new orders on credit hold? True while any
    invoice that reached such a level is still open and not in dispute. The credit gate reads it."""
    held = session.exec(
        select(DunningStep.id)
        .join(Invoice, col(Invoice.id) == col(DunningStep.invoice_id))
        .where(DunningStep.customer_id == customer_id, col(DunningStep.credit_hold))
        .where(col(Invoice.outstanding) > 0, col(Invoice.status).not_in(NOT_DUNNED))
        .limit(1)
    ).first()
    return held is not None
