"""The AR ageing of the largest accounts: the ageing report's own query (same buckets, same
sources), aggregated once more in SQL into the totals per currency and the few customers that
owe the most in all and past due, so a page reads a handful of rows, not one per customer."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP
from typing import Any

from sqlalchemy import func, select, type_coerce
from sqlmodel import Session

from activities.reports.ageing import (
    AgeingSource,
    _ageing_query,
    minor_unit_exponent,
    nothing_posted_after,
)
from models.columns import MoneyColumn
from models.money import ZERO
from models.reports.ageing import (
    NOT_DUE,
    AgeingBasis,
    AgeingReport,
    CurrencyAgeing,
    CustomerAgeing,
    buckets,
)


def largest_balances(
    session: Session, as_of: date, bounds: tuple[int, ...], top: int
) -> AgeingReport:
    """The ageing by due date with every currency's totals, and as customers only the `top`
    largest balances and the `top` largest overdue amounts (one list, by code)."""
    source = AgeingSource.INVOICE if nothing_posted_after(session, as_of) else AgeingSource.LEDGER
    labels = [bucket.label for bucket in buckets(bounds)]
    columns = [NOT_DUE, *labels, "total"]
    rows = _ageing_query(source, as_of, AgeingBasis.DUE_DATE, bounds, None).cte("ageing")
    largest = select(rows.c.customer_id).order_by(rows.c.total.desc(), rows.c.code).limit(top)
    overdue = rows.c.total - func.coalesce(rows.c[NOT_DUE], 0)  # SUM of no rows is NULL
    latest = select(rows.c.customer_id).order_by(overdue.desc(), rows.c.code).limit(top)
    chosen = select(rows).where(
        rows.c.customer_id.in_(largest.scalar_subquery())
        | rows.c.customer_id.in_(latest.scalar_subquery())
    )
    sums = [type_coerce(func.sum(rows.c[name]), MoneyColumn()).label(name) for name in columns]
    totals = select(rows.c.currency, *sums).group_by(rows.c.currency).order_by(rows.c.currency)

    def amounts(row: Any) -> list[Any]:
        unit = minor_unit_exponent(row["currency"])
        return [(row[name] or ZERO).quantize(unit, ROUND_HALF_UP) for name in columns]

    customers = []
    for row in session.execute(chosen.order_by(rows.c.code, rows.c.currency)).mappings():
        values = amounts(row)
        customers.append(
            CustomerAgeing(
                customer_id=row["customer_id"],
                code=row["code"],
                name=row["name"],
                currency=row["currency"],
                not_due=values[0],
                amounts=dict(zip(labels, values[1:-1], strict=True)),
                total=values[-1],
            )
        )
    currencies = []
    for row in session.execute(totals).mappings():
        values = amounts(row)
        currencies.append(
            CurrencyAgeing(
                currency=row["currency"],
                not_due=values[0],
                amounts=dict(zip(labels, values[1:-1], strict=True)),
                total=values[-1],
            )
        )
    return AgeingReport(
        as_of=as_of,
        basis=AgeingBasis.DUE_DATE,
        buckets=labels,
        source=source.value,
        customers=customers,
        totals=currencies,
    )
