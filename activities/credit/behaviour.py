"""The behaviour o2c sees of its customers, read for many customers in a few grouped queries (the
monthly review scores them all): payment days, dunning, promises, disputes, exposure, tenure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    text,
    type_coerce,
)
from sqlmodel import Session, col

from activities.sales.credit import UNINVOICED
from models.collection.tasks import InvoiceDispute, PaymentPromise, PromiseStatus
from models.columns import MoneyColumn
from models.credit.payment_days import (
    MONTH,
    RECENT,
    WINDOW,
    PaymentSums,
    Period,
    months_between,
    record_from,
    share,
)
from models.credit.profile import Behaviour, trend_of
from models.master_data.customers import Customer
from models.money import ZERO, quantize
from models.receivables.invoices import OPEN_INVOICE, Invoice, InvoiceKind, InvoiceStatus
from models.receivables.payments import PaymentAllocation
from models.sales.orders import SalesOrder


def _among(column: Any, customer_ids: list[int] | None) -> list[ColumnElement[bool]]:
    return [] if customer_ids is None else [col(column).in_(customer_ids)]


def _sum(column: Any) -> Any:
    return type_coerce(func.sum(column), MoneyColumn())


def _count(condition: ColumnElement[bool]) -> Any:
    """How many rows of the group meet `condition`."""
    return func.sum(case((condition, 1), else_=0))


def _sums(rows: Iterable[Sequence[Any]]) -> dict[int, Decimal]:
    return {customer_id: Decimal(total or 0) for customer_id, total in rows}


def _days_between(session: Session, later: Any, earlier: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier  # PostgreSQL: date minus date is a number of days


def _payments(
    session: Session, customer_ids: list[int] | None, as_of: date
) -> tuple[dict[int, dict[Period, PaymentSums]], dict[int, int]]:
    """Each customer's payment sums per period of the window (the sums `payment_record` makes
    of single invoices, here in SQL), and the highest dunning level any invoice reached. An
    invoice settled without a payment (credited, written off) counts as paid on its last
    allocation, or on time; one still open, as paid today."""
    settled = (
        select(
            col(PaymentAllocation.invoice_id), func.max(PaymentAllocation.allocated_on).label("day")
        )
        .where(col(PaymentAllocation.reversed_on).is_(None))
        .group_by(col(PaymentAllocation.invoice_id))
        .subquery()
    )
    paid_on = case(
        (col(Invoice.outstanding) <= 0, func.coalesce(settled.c.day, col(Invoice.due_date))),
        else_=literal(as_of, Date),
    )
    late = _days_between(session, paid_on, col(Invoice.due_date))
    days = case((late > 0, late), else_=0)
    period = case(
        (col(Invoice.due_date) > as_of - MONTH, int(Period.LAST_MONTH)),
        (col(Invoice.due_date) > as_of - RECENT, int(Period.REST_OF_RECENT)),
        else_=int(Period.EARLIER),
    )
    query = (
        select(
            col(Invoice.customer_id),
            period,
            func.count(),
            _count(late > 0),
            func.sum(days),
            type_coerce(func.sum(col(Invoice.total) * days), MoneyColumn()),
            _sum(Invoice.total),
            func.max(col(Invoice.dunning_level)),
        )
        .outerjoin(settled, settled.c.invoice_id == Invoice.id)
        .where(
            col(Invoice.kind) == InvoiceKind.INVOICE,
            col(Invoice.status) != InvoiceStatus.VOID,
            col(Invoice.due_date) > as_of - WINDOW,
            col(Invoice.due_date) <= as_of,
            *_among(Invoice.customer_id, customer_ids),
        )
        .group_by(col(Invoice.customer_id), period)
    )
    sums: dict[int, dict[Period, PaymentSums]] = defaultdict(dict)
    dunning: dict[int, int] = defaultdict(int)
    for customer_id, when, count, n_late, n_days, weighted, total, level in session.execute(query):
        sums[customer_id][Period(when)] = PaymentSums(
            count, int(n_late), int(n_days), Decimal(weighted), Decimal(total)
        )
        dunning[customer_id] = max(dunning[customer_id], level)
    return sums, dunning


def _open_amounts(
    session: Session, customer_ids: list[int] | None, as_of: date
) -> tuple[dict[int, tuple[Decimal, Decimal]], dict[int, Decimal]]:
    """Per customer: open receivables and the overdue part of them, in one pass over the open
    invoices (the partial index `ix_invoice_open` covers it), and open orders."""
    overdue = case((col(Invoice.due_date) < as_of, col(Invoice.outstanding)), else_=0)
    receivables = session.execute(
        select(col(Invoice.customer_id), _sum(Invoice.outstanding), _sum(overdue))
        .where(
            text(OPEN_INVOICE),
            col(Invoice.outstanding) > 0,
            *_among(Invoice.customer_id, customer_ids),
        )
        .group_by(col(Invoice.customer_id))
    )
    orders = session.execute(
        select(col(SalesOrder.customer_id), _sum(SalesOrder.total))
        .where(
            col(SalesOrder.status).in_(UNINVOICED), *_among(SalesOrder.customer_id, customer_ids)
        )
        .group_by(col(SalesOrder.customer_id))
    )
    open_ar = {
        customer_id: (Decimal(owed), Decimal(late)) for customer_id, owed, late in receivables
    }
    return open_ar, _sums(orders)


def _promises(
    session: Session, customer_ids: list[int] | None, since: datetime
) -> dict[int, tuple[int, int]]:
    """Promises to pay made in the window, kept and broken, per customer."""
    query = (
        select(
            col(Invoice.customer_id),
            _count(col(PaymentPromise.status) == PromiseStatus.KEPT),
            _count(col(PaymentPromise.status) == PromiseStatus.BROKEN),
        )
        .join(Invoice, col(Invoice.id) == PaymentPromise.invoice_id)
        .where(col(PaymentPromise.at) >= since, *_among(Invoice.customer_id, customer_ids))
        .group_by(col(Invoice.customer_id))
    )
    return {
        customer_id: (int(kept), int(broken))
        for customer_id, kept, broken in session.execute(query)
    }


def _disputes(
    session: Session, customer_ids: list[int] | None, since: datetime
) -> dict[int, tuple[int, int]]:
    """Disputes opened in the window, and those resolved with no credit on the invoice (the
    customer's claim was not upheld), per customer."""
    lost = and_(col(InvoiceDispute.resolved_at).is_not(None), col(Invoice.credited) == 0)
    query = (
        select(col(Invoice.customer_id), func.count(), _count(lost))
        .join(Invoice, col(Invoice.id) == InvoiceDispute.invoice_id)
        .where(col(InvoiceDispute.opened_at) >= since, *_among(Invoice.customer_id, customer_ids))
        .group_by(col(Invoice.customer_id))
    )
    return {
        customer_id: (int(opened), int(n_lost))
        for customer_id, opened, n_lost in session.execute(query)
    }


def behaviours(
    session: Session, as_of: date, customer_ids: list[int] | None = None
) -> dict[int, Behaviour]:
    """Every customer's behaviour (or these customers'): one grouped query per group of factors,
    the same for one customer (the profile, a review) as for all of them (the monthly run)."""
    since = datetime.combine(as_of - WINDOW, time(), UTC)
    customers = session.execute(
        select(col(Customer.id), col(Customer.credit_limit), col(Customer.created_at)).where(
            *_among(Customer.id, customer_ids)
        )
    ).all()
    invoices, dunning = _payments(session, customer_ids, as_of)
    receivables, orders = _open_amounts(session, customer_ids, as_of)
    promises = _promises(session, customer_ids, since)
    disputes = _disputes(session, customer_ids, since)
    found: dict[int, Behaviour] = {}
    for customer_id, limit, created_at in customers:
        assert customer_id is not None
        record = record_from(invoices.get(customer_id, {}))
        open_ar, overdue = receivables.get(customer_id, (ZERO, ZERO))
        exposure = open_ar + orders.get(customer_id, ZERO)
        kept, broken = promises.get(customer_id, (0, 0))
        opened, lost = disputes.get(customer_id, (0, 0))
        # Built without validation (thousands a run): counts, and amounts quantized as the
        # model's own validation would.
        found[customer_id] = Behaviour.model_construct(
            invoices_due=record.invoices_due,
            average_days_beyond_terms=record.average_days,
            weighted_days_beyond_terms=record.weighted_days,
            month_days_beyond_terms=record.month_days,
            late_share=record.late_share,
            highest_dunning_level=dunning.get(customer_id, 0),
            promises_kept=kept,
            promises_broken=broken,
            disputes_opened=opened,
            disputes_lost=lost,
            credit_limit=quantize(limit),
            exposure=quantize(exposure),
            utilisation=share(exposure, limit),
            open_receivables=quantize(open_ar),
            overdue=quantize(overdue),
            overdue_share=share(overdue, open_ar) or ZERO,
            trend_days=record.trend_days,
            payment_trend=trend_of(record.trend_days),
            tenure_months=months_between(created_at.date(), as_of),
        )
    return found
