"""How much of their credit limit the customers who owe or have ordered the most are using:
exposure (open receivables plus orders not yet invoiced, as the credit gate counts it) over the
limit, aggregated in SQL for every customer at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import func, select, text, type_coerce
from sqlmodel import Session, col

from activities.sales.credit import UNINVOICED
from models.columns import MoneyColumn
from models.master_data.customers import Customer
from models.money import ZERO, quantize
from models.receivables.invoices import OPEN_INVOICE, Invoice
from models.sales.orders import SalesOrder


class CreditUse(NamedTuple):
    code: str
    name: str
    currency: str
    credit_limit: Decimal
    exposure: Decimal
    used_pct: Decimal | None  # None without a limit


def _sum(column: Any) -> Any:
    return type_coerce(func.sum(column), MoneyColumn())


def largest_exposures(session: Session, top: int) -> list[CreditUse]:
    """The `top` customers by exposure, largest first, with the share of the limit it uses."""
    owed = session.execute(
        select(col(Invoice.customer_id), _sum(col(Invoice.outstanding)))
        .where(text(OPEN_INVOICE), col(Invoice.outstanding) > 0)
        .group_by(col(Invoice.customer_id))
    ).all()
    # Summed here, not grouped in SQL: grouped by customer, SQLite walks every order in
    # customer order; filtered alone, it reads only the few orders still open by status.
    ordered = session.execute(
        select(col(SalesOrder.customer_id), col(SalesOrder.total)).where(
            col(SalesOrder.status).in_(UNINVOICED)
        )
    ).all()
    exposure: dict[int, Decimal] = {}
    for customer_id, amount in [*owed, *ordered]:
        exposure[customer_id] = exposure.get(customer_id, ZERO) + (amount or ZERO)
    largest = sorted(exposure.items(), key=lambda item: (-item[1], item[0]))[:top]
    customers = {
        c.id: c
        for c in session.execute(
            select(Customer).where(col(Customer.id).in_([i for i, _ in largest]))
        ).scalars()
    }
    uses = []
    for customer_id, amount in largest:
        customer = customers[customer_id]
        limit = quantize(customer.credit_limit, customer.currency)
        used = quantize(amount, customer.currency)
        share = (used / limit * 100).quantize(Decimal("0.1")) if limit else None
        uses.append(CreditUse(customer.code, customer.name, customer.currency, limit, used, share))
    return uses
