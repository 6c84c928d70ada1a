"""Sales and DSO from invoices and the ledger, aggregated in SQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import distinct, func, select, text, type_coerce
from sqlmodel import Session, col

from activities.reports.ageing import nothing_posted_after
from models.columns import MoneyColumn
from models.errors import InvalidInput
from models.master_data.customers import Customer
from models.money import ZERO, quantize
from models.receivables.invoices import OPEN_INVOICE, Invoice, InvoiceLine, InvoiceStatus
from models.receivables.ledger import RECEIVABLE_LINE, LedgerLine
from models.reports.sales import (
    DsoFigure,
    DsoReport,
    SalesGrouping,
    SalesReport,
    SalesRow,
    days_sales_outstanding,
)
from models.sales.orders import SalesOrder


def _sum(column: Any) -> Any:
    return type_coerce(func.sum(column), MoneyColumn())


def _entered_by(rep: str | None) -> list[Any]:
    if rep is None:
        return []
    mine = select(col(SalesOrder.id)).where(col(SalesOrder.created_by) == rep)
    return [col(Invoice.order_id).in_(mine)]


def _month(session: Session) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m", col(Invoice.issue_date))
    return func.to_char(col(Invoice.issue_date), "YYYY-MM")


def sales_report(
    session: Session,
    period_from: date,
    period_to: date,
    group_by: SalesGrouping,
    rep: str | None = None,
) -> SalesReport:
    """Invoiced sales in the period; with `rep`, only the invoices of the orders that sales rep
    entered."""
    if period_from > period_to:
        raise InvalidInput("from: the period starts after it ends", "from")
    if group_by == SalesGrouping.MONTH:
        key = name = _month(session)
    elif group_by == SalesGrouping.CUSTOMER:
        key, name = col(Customer.code), func.max(col(Customer.name))
    else:
        key, name = col(InvoiceLine.sku), func.max(col(InvoiceLine.description))
    query = (
        select(
            key.label("key"),
            name.label("name"),
            col(Invoice.currency),
            func.count(distinct(col(Invoice.id))),
            _sum(col(InvoiceLine.net)),
            _sum(col(InvoiceLine.tax)),
            _sum(col(InvoiceLine.total)),
        )
        .select_from(InvoiceLine)
        .join(Invoice, col(Invoice.id) == col(InvoiceLine.invoice_id))
        .join(Customer, col(Customer.id) == col(Invoice.customer_id))
        .where(col(Invoice.issue_date) >= period_from, col(Invoice.issue_date) <= period_to)
        .where(col(Invoice.status) != InvoiceStatus.VOID)
        .where(*_entered_by(rep))
        .group_by(key, col(Invoice.currency))
        .order_by(key, col(Invoice.currency))
    )
    rows = [
        SalesRow(
            key=str(k),
            name=str(n),
            currency=cur,
            invoices=count,
            net=quantize(net, cur),
            tax=quantize(tax, cur),
            total=quantize(total, cur),
        )
        for k, n, cur, count, net, tax, total in session.execute(query).all()
    ]
    return SalesReport(period_from=period_from, period_to=period_to, group_by=group_by, rows=rows)


def dso_report(session: Session, as_of: date, days: int) -> DsoReport:
    """Days sales outstanding per currency: receivables on `as_of` (from the ledger, or from the
    open invoices when nothing is posted later, as the ageing report does) over the invoiced
    sales of the `days` days up to it, times `days`."""
    if not 1 <= days <= 3660:
        raise InvalidInput("days: between 1 and 3660", "days")
    if nothing_posted_after(session, as_of):  # then the open items are the ledger's sum
        owing = select(col(Invoice.currency), _sum(col(Invoice.outstanding))).where(
            text(OPEN_INVOICE)
        )
    else:
        owing = (
            select(col(Invoice.currency), _sum(col(LedgerLine.debit) - col(LedgerLine.credit)))
            .select_from(LedgerLine)
            .join(Invoice, col(Invoice.id) == col(LedgerLine.invoice_id))
            .where(text(RECEIVABLE_LINE), col(LedgerLine.posted_on) <= as_of)
        )
    receivables = dict(session.execute(owing.group_by(col(Invoice.currency))).all())
    sales = dict(
        session.execute(
            select(col(Invoice.currency), _sum(col(Invoice.total)))
            .where(col(Invoice.issue_date) > as_of - timedelta(days=days))
            .where(col(Invoice.issue_date) <= as_of, col(Invoice.status) != InvoiceStatus.VOID)
            .group_by(col(Invoice.currency))
        ).all()
    )
    items = []
    for currency in sorted(set(receivables) | set(sales)):
        owed: Decimal = quantize(receivables.get(currency) or ZERO, currency)
        sold: Decimal = quantize(sales.get(currency) or ZERO, currency)
        items.append(
            DsoFigure(
                currency=currency,
                receivables=owed,
                credit_sales=sold,
                dso=days_sales_outstanding(owed, sold, days),
            )
        )
    return DsoReport(as_of=as_of, days=days, items=items)
