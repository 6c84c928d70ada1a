"""The behaviour o2c sees of its customers, read for many customers in a few grouped queries (the
monthly review scores them all): payment days, dunning, promises, disputes, exposure, tenure."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Dialect,
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
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, col

from activities.sales.credit import UNINVOICED
from models.collection.tasks import InvoiceDispute, PaymentPromise, PromiseStatus
from models.columns import MoneyColumn
from models.credit.payment_days import (
    MONTH,
    RECENT,
    WINDOW,
    PaymentRecord,
    months_between,
    record_of_row,
    share,
)
from models.credit.profile import Behaviour, trend_of
from models.master_data.customers import Customer
from models.money import ZERO
from models.receivables.invoices import OPEN_INVOICE, Invoice, InvoiceKind, InvoiceStatus
from models.receivables.payments import PaymentAllocation
from models.sales.orders import SalesOrder

NO_RECORD = PaymentRecord()
CENT = Decimal("0.01")


def _cents(amount: Decimal) -> Decimal:
    """`quantize` (to the cent, half-up) without looking up a currency, thousands a run."""
    return amount.quantize(CENT, ROUND_HALF_UP)


def _among(column: Any, customer_ids: list[int] | None) -> list[ColumnElement[bool]]:
    return [] if customer_ids is None else [col(column).in_(customer_ids)]


class _SumColumn(MoneyColumn):
    """A money sum read back: on SQLite from its 1/10000 units, as `MoneyColumn`; elsewhere the
    driver's own `Decimal` of the `numeric` sum (psycopg's loader), not converted again in
    Python cell by cell (six sums for each of 20,000 customers a run)."""

    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.name == "sqlite":
            return super().result_processor(dialect, coltype)
        return None


def _sum(column: Any, where: ColumnElement[bool] | None = None) -> Any:
    """A money sum, of the group's rows that meet `where` if given."""
    total = func.sum(column)
    return type_coerce(total if where is None else total.filter(where), _SumColumn())


def _count(condition: ColumnElement[bool]) -> Any:
    """How many rows of the group meet `condition`."""
    return func.sum(case((condition, 1), else_=0))


def _money(value: Decimal | None) -> Decimal:
    """A sum read back (a `Decimal` already): None (no row in the group) is nothing."""
    return ZERO if value is None else value


def _sums(rows: Iterable[Sequence[Any]]) -> dict[int, Decimal]:
    return {customer_id: _money(total) for customer_id, total in rows}


def _days_between(session: Session, later: Any, earlier: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier  # PostgreSQL: date minus date is a number of days


def _payments(
    session: Session, customer_ids: list[int] | None, as_of: date
) -> dict[int, tuple[PaymentRecord, int]]:
    """Each customer's payment record (the sums `payment_record` makes of single invoices, here
    in SQL: over the whole window, its last 3 months and its last 30 days) and the highest
    dunning level any invoice reached. An invoice settled without a payment (credited, written
    off) counts as paid on its last allocation, or on time; one still open, as paid today.
    Grouped by customer alone, so that PostgreSQL reads the invoices in customer order from
    `ix_invoice_credit` (no sort, no hash table) and sums them as it goes."""
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
    weighted = col(Invoice.total) * days
    recent = col(Invoice.due_date) > as_of - RECENT
    month = col(Invoice.due_date) > as_of - MONTH
    query = (
        select(
            col(Invoice.customer_id),
            func.count(),
            _count(late > 0),
            func.sum(days),
            _sum(weighted),
            _sum(Invoice.total),
            func.count().filter(recent),
            _sum(weighted, recent),
            _sum(Invoice.total, recent),
            func.count().filter(month),
            _sum(weighted, month),
            _sum(Invoice.total, month),
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
        .group_by(col(Invoice.customer_id))
    )
    return {
        row[0]: (
            record_of_row(
                (row[1], int(row[2]), int(row[3]), _money(row[4]), _money(row[5])),
                (row[6], _money(row[7]), _money(row[8])),
                (row[9], _money(row[10]), _money(row[11])),
            ),
            row[12],
        )
        for row in session.connection().execute(query).all()
    }


OpenAmounts = dict[int, tuple[Decimal, Decimal]]  # open receivables and overdue, per customer


def _open_amounts(
    session: Session, customer_ids: list[int] | None, as_of: date
) -> tuple[OpenAmounts, dict[int, Decimal]]:
    """Per customer: open receivables and the overdue part of them, in one pass over the open
    invoices (the partial index `ix_invoice_open` covers it), and open orders."""
    overdue = case((col(Invoice.due_date) < as_of, col(Invoice.outstanding)), else_=0)
    receivables = (
        session.connection()
        .execute(
            select(col(Invoice.customer_id), _sum(Invoice.outstanding), _sum(overdue))
            .where(
                text(OPEN_INVOICE),
                col(Invoice.outstanding) > 0,
                *_among(Invoice.customer_id, customer_ids),
            )
            .group_by(col(Invoice.customer_id))
        )
        .all()
    )
    orders = session.connection().execute(
        select(col(SalesOrder.customer_id), _sum(SalesOrder.total))
        .where(
            col(SalesOrder.status).in_(UNINVOICED), *_among(SalesOrder.customer_id, customer_ids)
        )
        .group_by(col(SalesOrder.customer_id))
    )
    open_ar = {customer_id: (_money(owed), _money(late)) for customer_id, owed, late in receivables}
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
        for customer_id, kept, broken in session.connection().execute(query)
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
        for customer_id, opened, n_lost in session.connection().execute(query)
    }


# For every customer at once on PostgreSQL, while the grouped reads run (docs/credit.md, Speed):
# no JIT (some 150 ms of compiling for a one-second query), and the parallel workers' sorted
# groups merged by the leader alone (it ran its own share of the scan too, and the merge
# waited on it).
EVERYONE_READ = {"jit": "off", "parallel_leader_participation": "off"}
# ... and for the open amounts: summed walking `ix_invoice_open` in customer order rather
# than hashed, which spills 20,000 groups to disk at the default `work_mem` (the planner
# prefers the hash when most invoices are open).
OPEN_AMOUNTS_READ = {"enable_hashagg": "off"}


@contextmanager
def _planner(session: Session, everyone: bool, settings: dict[str, str]) -> Iterator[None]:
    """`settings` for the statements inside, then back as they were; only when reading every
    customer on PostgreSQL. A rollback undoes them too (`set_config(..., true)` lasts the
    transaction at most)."""
    if not everyone or session.get_bind().dialect.name != "postgresql":
        yield
        return
    conn = session.connection()
    before = {
        name: conn.execute(text("SELECT current_setting(:name)"), {"name": name}).scalar_one()
        for name in settings
    }
    for name, value in settings.items():
        conn.execute(text("SELECT set_config(:name, :value, true)"), {"name": name, "value": value})
    yield
    for name, value in before.items():
        conn.execute(text("SELECT set_config(:name, :value, true)"), {"name": name, "value": value})


def _apart(session: Session) -> Engine | None:
    """The engine to read every customer's open amounts from on a connection of its own while
    this one reads the payment days: only on PostgreSQL, in a READ COMMITTED transaction that
    has written nothing yet, where the other connection's statement sees the same committed rows
    as this one's next statement would, and while the pool has a connection to spare within its
    size (no waiting on one)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql" or not isinstance(bind, Engine):
        return None
    pool = bind.pool
    if isinstance(pool, QueuePool) and pool.checkedout() >= pool.size():
        return None
    written, isolation = (
        session.connection()
        .execute(
            text("SELECT txid_current_if_assigned(), current_setting('transaction_isolation')")
        )
        .one()
    )
    return bind if written is None and isolation == "read committed" else None


def _open_amounts_apart(engine: Engine, as_of: date) -> tuple[OpenAmounts, dict[int, Decimal]]:
    with (
        Session(engine) as other,
        other.begin(),
        _planner(other, True, EVERYONE_READ | OPEN_AMOUNTS_READ),
    ):
        return _open_amounts(other, None, as_of)


def behaviours(
    session: Session, as_of: date, customer_ids: list[int] | None = None
) -> dict[int, Behaviour]:
    """Every customer's behaviour (or these customers'): one grouped query per group of factors,
    the same for one customer (the profile, a review) as for all of them (the monthly run)."""
    since = datetime.combine(as_of - WINDOW, time(), UTC)
    customers = (
        session.connection()
        .execute(
            select(col(Customer.id), col(Customer.credit_limit), col(Customer.created_at)).where(
                *_among(Customer.id, customer_ids)
            )
        )
        .all()
    )
    everyone = customer_ids is None
    apart = _apart(session) if everyone else None
    with ThreadPoolExecutor(1) as pool, _planner(session, everyone, EVERYONE_READ):
        beside = None if apart is None else pool.submit(_open_amounts_apart, apart, as_of)
        invoices = _payments(session, customer_ids, as_of)
        if beside is not None:
            receivables, orders = beside.result()
        else:
            with _planner(session, everyone, OPEN_AMOUNTS_READ):
                receivables, orders = _open_amounts(session, customer_ids, as_of)
        promises = _promises(session, customer_ids, since)
        disputes = _disputes(session, customer_ids, since)
    found: dict[int, Behaviour] = {}
    for customer_id, limit, created_at in customers:
        assert customer_id is not None
        record, dunning = invoices.get(customer_id, (NO_RECORD, 0))
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
            highest_dunning_level=dunning,
            promises_kept=kept,
            promises_broken=broken,
            disputes_opened=opened,
            disputes_lost=lost,
            credit_limit=_cents(limit),
            exposure=_cents(exposure),
            utilisation=share(exposure, limit),
            open_receivables=_cents(open_ar),
            overdue=_cents(overdue),
            overdue_share=share(overdue, open_ar) or ZERO,
            trend_days=record.trend_days,
            payment_trend=trend_of(record.trend_days),
            tenure_months=months_between(created_at.date(), as_of),
        )
    return found
