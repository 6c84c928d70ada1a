"""The AR ageing report, aggregated in SQL: one row per customer and currency, one CASE column
per bucket, from open amounts as they stood on `as_of`.

Two sources give those open amounts. The ledger works for any date: an invoice's receivable
lines posted up to `as_of`. The invoice's `outstanding` column is the sum of all its receivable
lines, so it is that number when nothing was posted after `as_of`; the report uses it then and
says which source it used. For an earlier date the ledger source reads the same sum the other
way round: `outstanding` less the receivable lines posted after `as_of`, so it reads the open
invoices and the few recent lines, not every line of the whole history."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlmodel import Session, col

from models.columns import MoneyColumn
from models.master_data.customers import Customer
from models.money import ZERO, minor_unit
from models.receivables.invoices import OPEN_INVOICE, Invoice
from models.receivables.ledger import RECEIVABLE_LINE, LedgerLine
from models.reports.ageing import (
    NOT_DUE,
    AgeingBasis,
    AgeingReport,
    CurrencyAgeing,
    CustomerAgeing,
    buckets,
)


class AgeingSource(StrEnum):
    AUTO = "auto"
    LEDGER = "ledger"
    INVOICE = "invoice"


def _money_sum(expression: Any) -> Any:
    return type_coerce(func.sum(expression), MoneyColumn())


def nothing_posted_after(session: Session, as_of: date) -> bool:
    later = select(col(LedgerLine.id)).where(col(LedgerLine.posted_on) > as_of).limit(1)
    return session.execute(later).first() is None


def _item(invoice: Any) -> tuple[Any, ...]:
    """What the ageing needs of an open invoice besides its open amount."""
    return invoice.customer_id, invoice.currency, invoice.due_date, invoice.issue_date


def _open_now(as_of: date, customer_id: int | None) -> Select[Any]:
    """The invoices issued by `as_of` and open today, each counted once."""
    invoice = Invoice.__table__.c  # type: ignore[attr-defined]
    query = select(*_item(invoice), invoice.outstanding.label("open"), literal(1).label("counted"))
    query = query.where(invoice.issue_date <= as_of, text(OPEN_INVOICE))
    return query if customer_id is None else query.where(invoice.customer_id == customer_id)


def _moved_since(as_of: date, customer_id: int | None) -> Select[Any]:
    """What was posted after `as_of` to the invoices issued by then, taken back off: with
    `_open_now` it sums to the receivable lines posted up to `as_of`. `counted` corrects the
    count of open invoices to those open on `as_of`."""
    invoice = Invoice.__table__.c  # type: ignore[attr-defined]
    line = LedgerLine.__table__.c  # type: ignore[attr-defined]
    later = (
        select(line.invoice_id, func.sum(line.debit - line.credit).label("moved"))
        .where(text(RECEIVABLE_LINE), line.posted_on > as_of, line.invoice_id.is_not(None))
        .group_by(line.invoice_id)
        .subquery()
    )
    open_then = case((invoice.outstanding - later.c.moved != 0, 1), else_=0)
    open_today = case((invoice.outstanding != 0, 1), else_=0)
    counted = (open_then - open_today).label("counted")
    query = (
        select(*_item(invoice), (-later.c.moved).label("open"), counted)
        .join(later, later.c.invoice_id == invoice.id)
        .where(invoice.issue_date <= as_of)
    )
    return query if customer_id is None else query.where(invoice.customer_id == customer_id)


def _bucket_sums(
    items: Any, as_of: date, basis: AgeingBasis, bounds: tuple[int, ...]
) -> Select[Any]:
    """Per customer and currency: the open amounts summed per bucket, and how many were open."""
    basis_date = items.c.due_date if basis == AgeingBasis.DUE_DATE else items.c.issue_date
    overdue = items.c.due_date < as_of
    columns: list[ColumnElement[Any]] = [_money_sum(case((~overdue, items.c.open))).label(NOT_DUE)]
    for bucket in buckets(bounds):
        earliest, latest = bucket.basis_dates(as_of)
        condition = and_(overdue, basis_date <= latest)
        if earliest is not None:
            condition = and_(condition, basis_date >= earliest)
        columns.append(_money_sum(case((condition, items.c.open))).label(bucket.label))
    columns.append(_money_sum(items.c.open).label("total"))
    return select(
        items.c.customer_id, items.c.currency, *columns, func.sum(items.c.counted).label("counted")
    ).group_by(items.c.customer_id, items.c.currency)


def _ageing_query(
    source: AgeingSource,
    as_of: date,
    basis: AgeingBasis,
    bounds: tuple[int, ...],
    customer_id: int | None,
) -> Select[Any]:
    """Today's open invoices summed in customer order (the open-invoice index's), and for a
    date before the last posting, the later postings summed apart and taken off: sums add up,
    so the bucket totals are exact, and the history's paid invoices are never read."""
    names = [NOT_DUE, *[bucket.label for bucket in buckets(bounds)], "total"]
    totals = _bucket_sums(_open_now(as_of, customer_id).subquery(), as_of, basis, bounds)
    if source != AgeingSource.INVOICE:
        moved = _bucket_sums(_moved_since(as_of, customer_id).subquery(), as_of, basis, bounds)
        both = union_all(totals, moved).subquery()
        totals = (
            select(both.c.customer_id, both.c.currency)
            .add_columns(*[_money_sum(both.c[name]).label(name) for name in names])
            .group_by(both.c.customer_id, both.c.currency)
            .having(func.sum(both.c.counted) > 0)
        )
    summed = totals.subquery()
    customer = Customer.__table__.c  # type: ignore[attr-defined]
    return (
        select(customer.code, customer.name, summed.c.customer_id, summed.c.currency)
        .add_columns(*[summed.c[name] for name in names])
        .join(summed, summed.c.customer_id == customer.id)
        .order_by(customer.code, summed.c.currency)
    )


def ageing_report(
    session: Session,
    as_of: date,
    basis: AgeingBasis,
    bounds: tuple[int, ...],
    customer_id: int | None = None,
    source: AgeingSource = AgeingSource.AUTO,
) -> AgeingReport:
    if source == AgeingSource.AUTO:
        fast = nothing_posted_after(session, as_of)
        source = AgeingSource.INVOICE if fast else AgeingSource.LEDGER
    labels = [bucket.label for bucket in buckets(bounds)]
    columns = [NOT_DUE, *labels, "total"]
    query = _ageing_query(source, as_of, basis, bounds, customer_id)
    customers: list[CustomerAgeing] = []
    totals: dict[str, list[Decimal]] = {}
    for row in session.execute(query).mappings():
        currency = row["currency"]
        unit = minor_unit_exponent(currency)
        values = [(row[name] or ZERO).quantize(unit, ROUND_HALF_UP) for name in columns]
        # Built without validation: the values come exact from the database (20,000 rows).
        customers.append(
            CustomerAgeing.model_construct(
                customer_id=row["customer_id"],
                code=row["code"],
                name=row["name"],
                currency=currency,
                not_due=values[0],
                amounts=dict(zip(labels, values[1:-1], strict=True)),
                total=values[-1],
            )
        )
        running = totals.setdefault(currency, [ZERO.quantize(unit)] * len(columns))
        totals[currency] = [a + b for a, b in zip(running, values, strict=True)]
    return AgeingReport(
        as_of=as_of,
        basis=basis,
        buckets=labels,
        source=source.value,
        customers=customers,
        totals=[
            CurrencyAgeing(
                currency=currency,
                not_due=sums[0],
                amounts=dict(zip(labels, sums[1:-1], strict=True)),
                total=sums[-1],
            )
            for currency, sums in totals.items()
        ],
    )


def minor_unit_exponent(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_unit(currency))


def ageing_table(report: AgeingReport) -> tuple[list[str], list[list[Any]]]:
    """The report as one table: a row per customer, then a total row per currency."""
    header = ["customer_id", "code", "name", "currency", NOT_DUE, *report.buckets, "total"]
    rows: list[list[Any]] = [
        [c.customer_id, c.code, c.name, c.currency, c.not_due]
        + [c.amounts[label] for label in report.buckets]
        + [c.total]
        for c in report.customers
    ]
    rows += [
        ["", "TOTAL", "", t.currency, t.not_due]
        + [t.amounts[label] for label in report.buckets]
        + [t.total]
        for t in report.totals
    ]
    return header, rows
