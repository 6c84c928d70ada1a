"""The behaviour o2c sees of its customers, read for many customers in a few grouped queries (the
monthly review scores them all): payment days, dunning, promises, disputes, exposure, tenure."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from queue import Queue
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Dialect,
    Integer,
    Select,
    and_,
    bindparam,
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
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session, col

from activities.bulk_reads import driver_rows
from activities.sales.credit import UNINVOICED
from models.collection.tasks import InvoiceDispute, PaymentPromise, PromiseStatus
from models.columns import MoneyColumn, utc_day
from models.credit.payment_days import (
    MONTH,
    RECENT,
    WINDOW,
    PaymentRecord,
    months_between,
    record_of_row,
    share,
)
from models.credit.profile import Behaviour, BehaviourFacts, trend_of
from models.master_data.customers import Customer
from models.money import ZERO
from models.receivables.invoices import OPEN_INVOICE, Invoice, InvoiceKind, InvoiceStatus
from models.sales.orders import SalesOrder

NO_RECORD = PaymentRecord()
CENT = Decimal("0.01")


# The customers a read is for: these (ids), those whose ids lie in this range (both ends in), or
# every customer (None).
Which = list[int] | tuple[int, int] | None


# A range's first and last id, given at each read (`_bounds`): its queries are built once for
# every range of a run (`_A_RANGE` stands for any of them).
_RANGE: tuple[BindParameter[int], BindParameter[int]] = (
    bindparam("first", type_=Integer),
    bindparam("last", type_=Integer),
)
_A_RANGE = (0, 0)


def among_customers(column: Any, which: Which) -> list[ColumnElement[bool]]:
    """The conditions that keep `column` (a customer id) to the customers `which` names."""
    if which is None:
        return []
    if isinstance(which, tuple):
        return [col(column).between(*_RANGE)]
    return [col(column).in_(which)]


def _bounds(which: Which) -> dict[str, int]:
    """The parameters of `which`'s queries: a range's ends, else none."""
    return dict(zip(("first", "last"), which, strict=True)) if isinstance(which, tuple) else {}


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
    """A money sum, of the group's rows that meet `where` if given; 0 when none does (in SQL,
    once a group, not a Python call for each of six sums of every customer)."""
    total = func.sum(column)
    return type_coerce(
        func.coalesce(total if where is None else total.filter(where), 0), _SumColumn()
    )


def _count(condition: ColumnElement[bool]) -> Any:
    """How many rows of the group meet `condition`."""
    return func.sum(case((condition, 1), else_=0))


def _days_between(dialect: str, later: Any, earlier: Any) -> Any:
    if dialect == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier  # PostgreSQL: date minus date is a number of days


def _payments(dialect: str, which: Which, as_of: date) -> Select[Any]:
    """The query of each customer's payment record (the sums `payment_record` makes of single
    invoices, here in SQL: over the whole window, its last 3 months and its last 30 days) and
    the highest dunning level any invoice reached; `_payment_days` reads its rows. A settled
    invoice counts as paid on its last payment allocation (`settled_on`, kept on the invoice),
    or on time when none paid it (credited, written off); one still open, as paid today.
    Grouped by customer alone, so that PostgreSQL reads the invoices in customer order from
    `ix_invoice_credit` (no sort, no hash table, no join) and sums them as it goes. The days and
    the amount times the days are summed over the invoices paid late alone: the others add
    nothing to them (most invoices, no `numeric` product for them). The settled day first: an
    invoice has one only while nothing is owed (`change_invoice`), and most invoices of a
    history have one, so most rows never compare their outstanding amount (a `numeric`) in any
    of the sums that read the day (0.53 s to 0.46 s for 1,000,000 invoices, `EXPLAIN
    ANALYZE`)."""
    paid_on = func.coalesce(
        col(Invoice.settled_on),
        case((col(Invoice.outstanding) <= 0, col(Invoice.due_date)), else_=literal(as_of, Date)),
    )
    days = _days_between(dialect, paid_on, col(Invoice.due_date))
    late = days > 0
    weighted = col(Invoice.total) * days
    recent = col(Invoice.due_date) > as_of - RECENT
    month = col(Invoice.due_date) > as_of - MONTH
    return (
        select(
            col(Invoice.customer_id),
            func.count(),
            func.count().filter(late),
            func.coalesce(func.sum(days).filter(late), 0),
            _sum(weighted, late),
            _sum(Invoice.total),
            func.count().filter(recent),
            _sum(weighted, and_(recent, late)),
            _sum(Invoice.total, recent),
            func.count().filter(month),
            _sum(weighted, and_(month, late)),
            _sum(Invoice.total, month),
            func.max(col(Invoice.dunning_level)),
        )
        .where(
            col(Invoice.kind) == InvoiceKind.INVOICE,
            col(Invoice.status) != InvoiceStatus.VOID,
            col(Invoice.due_date) > as_of - WINDOW,
            col(Invoice.due_date) <= as_of,
            *among_customers(Invoice.customer_id, which),
        )
        .group_by(col(Invoice.customer_id))
    )


def _payment_days(rows: Sequence[Sequence[Any]]) -> PaymentDays:
    """`_payments`' rows as each customer's record and highest dunning level."""
    return {
        row[0]: (
            record_of_row(
                (row[1], row[2], row[3], row[4], row[5]),
                (row[6], row[7], row[8]),
                (row[9], row[10], row[11]),
            ),
            row[12],
        )
        for row in rows
    }


OpenAmounts = dict[int, tuple[Decimal, Decimal]]  # open receivables and overdue, per customer


def _receivables(which: Which, as_of: date) -> Select[Any]:
    """Per customer: open receivables and the overdue part of them, in one pass over the open
    invoices (the partial index `ix_invoice_open` covers it)."""
    overdue = case((col(Invoice.due_date) < as_of, col(Invoice.outstanding)), else_=0)
    return (
        select(col(Invoice.customer_id), _sum(Invoice.outstanding), _sum(overdue))
        .where(
            text(OPEN_INVOICE),
            col(Invoice.outstanding) > 0,
            *among_customers(Invoice.customer_id, which),
        )
        .group_by(col(Invoice.customer_id))
    )


def _orders(which: Which) -> Select[Any]:
    """Per customer: the orders not invoiced yet."""
    return (
        select(col(SalesOrder.customer_id), _sum(SalesOrder.total))
        .where(
            col(SalesOrder.status).in_(UNINVOICED), *among_customers(SalesOrder.customer_id, which)
        )
        .group_by(col(SalesOrder.customer_id))
    )


def _promises(which: Which, since: datetime) -> Select[Any]:
    """Promises to pay made in the window, kept and broken, per customer."""
    return (
        select(
            col(Invoice.customer_id),
            _count(col(PaymentPromise.status) == PromiseStatus.KEPT),
            _count(col(PaymentPromise.status) == PromiseStatus.BROKEN),
        )
        .join(Invoice, col(Invoice.id) == PaymentPromise.invoice_id)
        .where(col(PaymentPromise.at) >= since, *among_customers(Invoice.customer_id, which))
        .group_by(col(Invoice.customer_id))
    )


def _disputes(which: Which, since: datetime) -> Select[Any]:
    """Disputes opened in the window, and those resolved with no credit on the invoice (the
    customer's claim was not upheld), per customer."""
    lost = and_(col(InvoiceDispute.resolved_at).is_not(None), col(Invoice.credited) == 0)
    return (
        select(col(Invoice.customer_id), func.count(), _count(lost))
        .join(Invoice, col(Invoice.id) == InvoiceDispute.invoice_id)
        .where(col(InvoiceDispute.opened_at) >= since, *among_customers(Invoice.customer_id, which))
        .group_by(col(Invoice.customer_id))
    )


# For every customer at once on PostgreSQL, while the grouped reads run (docs/credit.md, Speed):
# no JIT (some 150 ms of compiling for a one-second query), the parallel workers' sorted
# groups merged by the leader alone (it ran its own share of the scan too, and the merge
# waited on it), and the open amounts summed walking `ix_invoice_open` in customer order
# rather than hashed, which spills 20,000 groups to disk at the default `work_mem` (the
# planner prefers the hash when most invoices are open).
EVERYONE_READ = {"jit": "off", "parallel_leader_participation": "off", "enable_hashagg": "off"}
# ... and for a range of customers at a time read beside the run: each range summed by one
# process walking the indexes in customer order (on two cores, parallel workers would only
# compete with the run's own work on the ranges before; the whole read alone took 0.45 s so
# against 0.5 s with two workers).
RANGE_READ = {
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
    "enable_hashagg": "off",
    "plan_cache_mode": "force_custom_plan",
}
# Customers a range covers (20,000 customers: ten ranges and the two edges)...
RANGE_SIZE = 2_000
# ... but the first and the last few customers a range each: the run's own work begins on the
# first range soon after the reads begin, and ends soon after the last range is read.
EDGE_SIZE = 500
# Connections reading the ranges, each every `READERS`th range: the database's work on both
# cores while the run's own work, lighter, waits for the next range.
READERS = 2


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
    """The engine to read every customer's behaviour from, a range at a time, on connections of
    their own while the caller works on the ranges read before: only on PostgreSQL, in a READ
    COMMITTED transaction that has written nothing yet (the others read in its snapshot, which
    holds no rows of its own then), and while the pool has `READERS` connections to spare
    within its size (no waiting on one)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql" or not isinstance(bind, Engine):
        return None
    pool = bind.pool
    if isinstance(pool, QueuePool) and pool.size() - pool.checkedout() < READERS:
        return None
    written, isolation = (
        session.connection()
        .execute(
            text("SELECT txid_current_if_assigned(), current_setting('transaction_isolation')")
        )
        .one()
    )
    return bind if written is None and isolation == "read committed" else None


Ranges = list[tuple[int, int]]
PaymentDays = dict[int, tuple[PaymentRecord, int]]


class _Read(NamedTuple):
    """What the grouped queries read of some customers, each by customer id."""

    payments: PaymentDays
    receivables: OpenAmounts
    orders: dict[int, Decimal]
    promises: dict[int, tuple[int, int]]
    disputes: dict[int, tuple[int, int]]


class _Queries(NamedTuple):
    """The grouped queries, in `_Read`'s order: built once for a run (a range's are run for each
    range, its ends given at each: no statement built again, nor its cache key)."""

    payments: Select[Any]
    receivables: Select[Any]
    orders: Select[Any]
    promises: Select[Any]
    disputes: Select[Any]


def _queries(session: Session, which: Which, as_of: date) -> _Queries:
    since = datetime.combine(as_of - WINDOW, time(), UTC)
    return _Queries(
        _payments(session.get_bind().dialect.name, which, as_of),
        _receivables(which, as_of),
        _orders(which),
        _promises(which, since),
        _disputes(which, since),
    )


def _read(session: Session, queries: _Queries, which: Which) -> _Read:
    conn, bounds = session.connection(), _bounds(which)
    payments, receivables, orders, promises, disputes = (
        driver_rows(conn, query, bounds) for query in queries
    )
    return _Read(
        _payment_days(payments),
        {customer_id: (owed, late) for customer_id, owed, late in receivables},
        {customer_id: total for customer_id, total in orders},
        {customer_id: (int(kept), int(broken)) for customer_id, kept, broken in promises},
        {customer_id: (int(opened), int(lost)) for customer_id, opened, lost in disputes},
    )


_DONE = None  # the last of the ranges read apart


def _ranges(customer_ids: list[int], size: int, edge: int) -> Ranges:
    """The sorted ids cut into ranges of `size` customers, the first and the last `edge`
    customers each a range of their own: (first id, last id) each."""
    count = len(customer_ids)
    inner = range(min(edge, count), max(count - edge, 0), size)
    cuts = sorted({0, *inner, max(count - edge, 0), count})
    return [
        (customer_ids[start], customer_ids[end - 1])
        for start, end in zip(cuts, cuts[1:], strict=False)
        if end > start
    ]


def _snapshot(session: Session) -> str:
    """This transaction's snapshot, for others to read the same committed rows in."""
    snapshot = session.connection().execute(text("SELECT pg_export_snapshot()")).scalar_one()
    assert re.fullmatch(r"[0-9A-F-]+", snapshot), snapshot
    return str(snapshot)


Reads = Queue[_Read | BaseException | None]  # a reader's ranges, then `_DONE` (or its error)


def _read_apart(engine: Engine, snapshot: str, ranges: Ranges, as_of: date, out: Reads) -> None:
    """What the grouped queries read of each range, in order, into `out` as it is read, in the
    run's snapshot (a REPEATABLE READ transaction importing it: the rows the run's transaction
    saw); an error instead, if one comes."""
    try:
        with (
            Session(engine.execution_options(isolation_level="REPEATABLE READ")) as other,
            other.begin(),
        ):
            other.connection().execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
            queries = _queries(other, _A_RANGE, as_of)  # the same for each range
            with _planner(other, True, RANGE_READ):
                for within in ranges:
                    out.put(_read(other, queries, within))
        out.put(_DONE)
    except BaseException as error:  # handed to the reader, which raises it
        out.put(error)


def _read_in_turn(out: Reads) -> Iterator[_Read]:
    while (read := out.get()) is not _DONE:
        if isinstance(read, BaseException):
            raise read
        yield read


def behaviours(
    session: Session, as_of: date, customer_ids: list[int] | None = None
) -> dict[int, Behaviour]:
    """Every customer's behaviour (or these customers'): one grouped query per group of factors,
    the same for one customer (the profile, a review) as for all of them (the monthly run)."""
    return {
        customer_id: facts.behaviour()
        for part in behaviours_in_turn(session, as_of, customer_ids)
        for customer_id, facts in part.items()
    }


def behaviours_in_turn(
    session: Session, as_of: date, customer_ids: list[int] | None = None
) -> Iterator[dict[int, BehaviourFacts]]:
    """`behaviours`, their values (`BehaviourFacts`), in parts by customer id, in id order
    (`behaviours_of` the customers read first)."""
    customers = driver_rows(
        session.connection(),
        select(*CUSTOMER_SINCE)
        .where(*among_customers(Customer.id, customer_ids))
        .order_by(col(Customer.id)),
    )
    return behaviours_of(session, as_of, customers, customer_ids)


# What the behaviours read of each customer: (id, credit limit, day created), in id order.
CUSTOMER_SINCE = (col(Customer.id), col(Customer.credit_limit), utc_day(col(Customer.created_at)))


def behaviours_of(
    session: Session, as_of: date, customers: Sequence[Sequence[Any]], which: list[int] | None
) -> Iterator[dict[int, BehaviourFacts]]:
    """The behaviours of `customers` (rows of `CUSTOMER_SINCE`, already read: the monthly run
    reads them with the credit terms it needs), among those `which` (None: every customer), in
    parts by customer id. For every customer on PostgreSQL (`_apart`) the grouped queries read
    a range of customers at a time on connections of their own (`READERS`, in this
    transaction's snapshot), the next ranges while the caller works on this one's behaviours
    (both cores busy, not one then the other); this session reads nothing more once they have
    begun. Else one part of them all."""
    rows = iter(customers)
    apart = _apart(session) if which is None and customers else None
    if apart is None:
        with _planner(session, which is None, EVERYONE_READ):
            read = _read(session, _queries(session, which, as_of), which)
        yield _part(rows, read, None, as_of)
        return
    ranges = _ranges([row[0] for row in customers], RANGE_SIZE, EDGE_SIZE)
    outs: list[Reads] = [Queue() for _ in range(READERS)]
    snapshot = _snapshot(session)
    with ThreadPoolExecutor(READERS) as pool:
        for n, out in enumerate(outs):
            pool.submit(_read_apart, apart, snapshot, ranges[n::READERS], as_of, out)
        turns = [_read_in_turn(out) for out in outs]
        for n, (_, last) in enumerate(ranges):
            yield _part(rows, next(turns[n % READERS]), last, as_of)
        for turn in turns:  # each reader's end (or its error, raised)
            assert next(turn, None) is None


def _part(
    rows: Iterator[Any], read: _Read, last: int | None, as_of: date
) -> dict[int, BehaviourFacts]:
    """The behaviours of the customers of `rows` up to id `last` (None: all of them), from what
    was read of them."""
    invoices, receivables, orders, promises, disputes = read
    found: dict[int, BehaviourFacts] = {}
    # Amounts to the cent, half-up, as `quantize` in models/money.py and the model's own
    # validation round them, without looking up a currency or a Python call each (four
    # amounts of every customer a run).
    cents, half_up = CENT, ROUND_HALF_UP
    quantize = Decimal.quantize
    for row in rows:  # `CUSTOMER_SINCE` first, maybe more columns after
        customer_id, limit, created_on = row[0], row[1], row[2]
        record, dunning = invoices.get(customer_id, (NO_RECORD, 0))
        open_ar, overdue = receivables.get(customer_id, (ZERO, ZERO))
        exposure = open_ar + orders.get(customer_id, ZERO)
        kept, broken = promises.get(customer_id, (0, 0))
        opened, lost = disputes.get(customer_id, (0, 0))
        # In `BehaviourFacts`' order.
        found[customer_id] = BehaviourFacts(
            record.invoices_due,
            record.average_days,
            record.weighted_days,
            record.month_days,
            record.late_share,
            dunning,
            kept,
            broken,
            opened,
            lost,
            quantize(limit, cents, half_up),
            quantize(exposure, cents, half_up),
            share(exposure, limit),
            quantize(open_ar, cents, half_up),
            quantize(overdue, cents, half_up),
            share(overdue, open_ar) or ZERO,
            record.trend_days,
            trend_of(record.trend_days),
            months_between(created_on, as_of),
        )
        if customer_id == last:
            break
    return found
