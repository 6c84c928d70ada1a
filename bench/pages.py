"""Workspace render benchmark: 100,000 orders and 1,000,000 invoices (with their ledger lines)
bulk-loaded into SQLite and PostgreSQL (a database of its own, dropped after), then p50/p95
render time of the dashboard, the approver inbox and, where they exist, the order list, an
order's page and the collector worklist (a page that answers 404 is skipped, saying so), each
beside a plain SELECT of the rows it shows, measured in the same run.

The plain SELECT reads exactly what the page shows, in plain SQL (no ORM), one query per table:
the inbox's count and its 50 tasks as the page filters them, with their orders, customers' names
and order lines; the order list's count and its 25 newest orders with their customers' names; an
order with its customer, lines, approvals, credit holds, shipments (and their lines), invoices
(and their lines and instalments) and timeline; the collector's 50 open tasks with their
invoices and each customer's contact and open items. (Until Nov 2026 the inbox, list and
worklist baselines read 50 rows of one table, and the order page's only the order's row.)

    python -m bench pages [--orders 10000] [--invoices 100000] [--renders 200] [--only sqlite]

The history is what a company of that size carries: invoices over five years, almost all paid
(their ledger has the payment), those of the last 90 days mostly open, 1% of older ones still
owed; orders over two years, those of the last month still moving; the collector has an open
task for each of 50 overdue invoices.
The app is started as a server starts it, which reads the dashboards' figures (the time is
printed); the first render of each page is printed too, and for the dashboards the render just
after the figures expire (O2C_DASHBOARD_REFRESH_SECONDS), which shows the kept figures while they
are read again behind it (that reading's time is printed too).
A render is timed inside the app (`Stopwatch`: from the request reaching it, through every
middleware, the routing, the session and the page, to the answer's last byte); the p95 through
the in-process HTTP client, which adds the client's own work, is printed beside it. (Until 30 Nov
2026 the render was timed through the client only.)
Targets: p95 <= 150 ms and <= 5x the plain query."""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import models.tables  # noqa: F401  (registers every table)
from activities.security.users import create_user
from api.main import create_app
from bench._databases import each_database
from bench.ageing import (
    CUSTOMER_COLUMNS,
    ENTRY_COLUMNS,
    INVOICE_COLUMNS,
    LINE_COLUMNS,
    _customer_rows,
)
from models.security.users import Role, UserCreate
from o2c.settings import Settings

TODAY = date.today()
CHUNK = 50_000
PASSWORD = "bench-password-1"
LOADED = (
    "customer",
    "invoice",
    "ledger_entry",
    "ledger_line",
    "sales_order",
    "approval_task",
    "collection_task",
)
TASKS = 50  # the collector's open tasks: one page of their worklist
ORDER_COLUMNS = (
    "id, number, customer_id, status, currency, subtotal, tax, total, order_date, created_by, "
    "created_at, revision, fulfilment_policy"
)
TASK_COLUMNS = "id, order_id, revision, level, name, role, status, total, created_at"
MOVING = ("PENDING_APPROVAL", "APPROVED", "AWAITING_SHIPMENT", "SHIPPED", "INVOICED")
Money = Callable[[int], Any]


@dataclass(frozen=True)
class Screen:
    """A page, who opens it, and the plain query of the rows it shows."""

    name: str
    path: str
    username: str
    plain: list[str]


def _day(offset: int) -> str:
    return (TODAY - timedelta(days=offset)).isoformat()


def invoice_rows(
    invoices: int, customers: int, money: Money, seed: int = 1
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Chunks of (invoice, ledger entry, ledger line) rows, issue and payment postings."""
    rng = random.Random(seed)
    now = datetime.now(UTC).isoformat(sep=" ")
    zero = money(0)
    entry_id = line_id = 0
    for start in range(0, invoices, CHUNK):
        invs: list[tuple[Any, ...]] = []
        entries: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []
        for invoice_id in range(start + 1, min(start + CHUNK, invoices) + 1):
            customer_id = rng.randint(1, customers)
            age = rng.randint(0, 5 * 365)
            issued, due = _day(age), _day(age - 30)
            total = rng.randint(1_000, 500_000)
            paid = total if rng.random() < (0.4 if age < 90 else 0.99) else 0
            number = f"INV-{issued[:4]}-{invoice_id:07d}"
            status = "PAID" if paid else "OPEN"
            invs.append(
                (invoice_id, number, customer_id, "USD", issued, due, money(total), zero)
                + (money(total), money(paid), zero, zero, money(total - paid), status, 0)
                + (f"bench/{invoice_id}", now, "INVOICE")
            )
            entry_id += 1
            entries.append(
                (entry_id, f"invoice-{invoice_id}/issue", issued, "invoice", invoice_id)
                + (customer_id, number, now)
            )
            lines.append((line_id + 1, entry_id, "RECEIVABLES", money(total), zero, invoice_id))
            lines[-1] += (issued,)
            lines.append((line_id + 2, entry_id, "REVENUE", zero, money(total), None, issued))
            line_id += 2
            if paid:
                received = _day(max(0, age - rng.randint(0, 45)))
                entry_id += 1
                entries.append(
                    (entry_id, f"bench-payment-{invoice_id}", received, "payment", invoice_id)
                    + (customer_id, "BANK", now)
                )
                lines.append((line_id + 1, entry_id, "CASH", money(paid), zero, None, received))
                lines.append(
                    (line_id + 2, entry_id, "RECEIVABLES", zero, money(paid), invoice_id, received)
                )
                line_id += 2
        yield invs, entries, lines


def order_rows(
    orders: int, customers: int, money: Money, seed: int = 2
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Orders over two years (closed, but for the last month's) and the approval tasks of the
    orders waiting for approval."""
    rng = random.Random(seed)
    now = datetime.now(UTC).isoformat(sep=" ")
    rows: list[tuple[Any, ...]] = []
    tasks: list[tuple[Any, ...]] = []
    for order_id in range(1, orders + 1):
        age = rng.randint(0, 2 * 365)
        status = rng.choice(MOVING) if age < 30 else "CLOSED"
        net = rng.randint(1_000, 500_000)
        tax = net // 10
        rows.append(
            (order_id, f"SO-{order_id:07d}", rng.randint(1, customers), status, "USD")
            + (money(net), money(tax), money(net + tax), _day(age), "sales", now, 1, "ship_partial")
        )
        if status == "PENDING_APPROVAL":
            task = (len(tasks) + 1, order_id, 1, 1, "Approver", "approver", "PENDING")
            tasks.append(task + (money(net + tax), now))
    return rows, tasks


def _insert(
    engine: Engine, batches: Iterator[list[tuple[str, str, list[tuple[Any, ...]]]]]
) -> None:
    """executemany on SQLite, COPY on PostgreSQL; one transaction."""
    raw = engine.raw_connection()
    cursor: Any = raw.cursor()
    for batch in batches:
        for table, columns, rows in batch:
            if engine.dialect.name == "sqlite":
                marks = ", ".join("?" * len(columns.split(",")))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            else:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
                    for row in rows:
                        stream.write_row(row)
    raw.commit()
    raw.close()


# A collection task for each of the collector's overdue invoices, as many as a page shows.
COLLECTOR_TASKS = (
    "INSERT INTO collection_task (id, key, invoice_id, customer_id, assignee, status, level, "
    "escalated, rotation, opened_at) SELECT id, 'bench-task-' || id, id, customer_id, "
    "'collector', 'OPEN', 1, FALSE, FALSE, CURRENT_TIMESTAMP FROM invoice "
    f"WHERE status = 'OPEN' AND due_date < '{TODAY.isoformat()}' ORDER BY id LIMIT {TASKS}"
)


def build(engine: Engine, orders: int, invoices: int, customers: int) -> float:
    """The schema and its users, the rows loaded without secondary indexes, built after."""
    started = time.perf_counter()
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        for role in Role:
            create_user(session, UserCreate(username=role.value, password=PASSWORD, roles=[role]))
    tables = [SQLModel.metadata.tables[name] for name in LOADED]
    with engine.begin() as conn:
        for table in tables:
            for index in table.indexes:
                index.drop(conn)
    sqlite = engine.dialect.name == "sqlite"
    money: Money = (lambda c: c * 100) if sqlite else (lambda c: f"{c // 100}.{c % 100:02d}")
    sales, tasks = order_rows(orders, customers, money)

    def batches() -> Iterator[list[tuple[str, str, list[tuple[Any, ...]]]]]:
        yield [("customer", CUSTOMER_COLUMNS, _customer_rows(customers))]
        yield [("sales_order", ORDER_COLUMNS, sales), ("approval_task", TASK_COLUMNS, tasks)]
        for invs, entries, lines in invoice_rows(invoices, customers, money):
            yield [
                ("invoice", INVOICE_COLUMNS, invs),
                ("ledger_entry", ENTRY_COLUMNS, entries),
                ("ledger_line", LINE_COLUMNS, lines),
            ]

    _insert(engine, batches())
    with engine.begin() as conn:
        conn.execute(text(COLLECTOR_TASKS))
        for table in tables:
            for index in table.indexes:
                index.create(conn)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE" if sqlite else "VACUUM ANALYZE"))
    return time.perf_counter() - started


# The approver's inbox as the page reads it (activities/sales/approvals.py `inbox`): the tasks
# named to them or their role, of orders still waiting at that revision, not their own, not
# already decided by them; oldest first.
INBOX_FROM = "FROM approval_task t JOIN sales_order o ON o.id = t.order_id"
INBOX_WHERE = (
    "WHERE t.status = 'PENDING' AND (t.user = 'approver' OR t.role IN ('approver') "
    "OR t.escalated_to IN ('approver')) AND o.status = 'PENDING_APPROVAL' "
    "AND o.revision = t.revision AND o.created_by != 'approver' AND NOT EXISTS "
    "(SELECT 1 FROM approval a WHERE a.order_id = t.order_id AND a.revision = t.revision "
    "AND a.decided_by = 'approver')"
)
INBOX_PAGE = "ORDER BY t.created_at, t.id LIMIT 50"
WORKLIST = "FROM collection_task t WHERE t.assignee = 'collector' AND t.status = 'OPEN'"


def screens(first_open_order: int) -> list[Screen]:
    """Each page's plain SELECT reads exactly the rows the page shows: every table it shows rows
    of, the count it pages by and the customers' names (one query per table, no ORM)."""
    year_ago = (TODAY - timedelta(days=365)).isoformat()
    booked = f"SELECT order_date, currency, total FROM sales_order WHERE order_date >= '{year_ago}'"
    order = f"order_id = {first_open_order}"
    return [
        Screen(
            "dashboard (finance)",
            "/app",
            "finance",
            [
                "SELECT customer_id, currency, due_date, outstanding FROM invoice "
                "WHERE outstanding != 0",
                booked,
            ],
        ),
        Screen(
            "dashboard (sales)",
            "/app",
            "sales",
            [
                booked,
                "SELECT status FROM sales_order",
            ],
        ),
        Screen(
            "approver inbox",
            "/app/inbox",
            "approver",
            [
                f"SELECT count(*) {INBOX_FROM} {INBOX_WHERE}",
                "SELECT t.id, t.order_id, t.level, t.name, o.number, o.total, o.currency, "
                f"o.order_date, o.created_by, c.name {INBOX_FROM} "
                f"JOIN customer c ON c.id = o.customer_id {INBOX_WHERE} {INBOX_PAGE}",
                "SELECT * FROM order_line WHERE order_id IN "
                f"(SELECT t.order_id {INBOX_FROM} {INBOX_WHERE} {INBOX_PAGE}) "
                "ORDER BY order_id, line_no",
            ],
        ),
        Screen(
            "order list",
            "/app/orders",
            "sales",
            [
                "SELECT count(*) FROM sales_order",
                "SELECT o.id, o.number, o.status, o.order_date, o.requested_date, o.total, "
                "o.currency, c.name FROM sales_order o JOIN customer c ON c.id = o.customer_id "
                "ORDER BY o.id DESC LIMIT 25",
            ],
        ),
        Screen(
            "order page",
            f"/app/orders/{first_open_order}",
            "sales",
            [
                "SELECT * FROM sales_order o JOIN customer c ON c.id = o.customer_id "
                f"WHERE o.id = {first_open_order}",
                f"SELECT * FROM order_line WHERE {order} ORDER BY line_no",
                f"SELECT * FROM approval WHERE {order} ORDER BY id",
                f"SELECT * FROM credit_hold WHERE {order} ORDER BY id",
                f"SELECT * FROM shipment WHERE {order} ORDER BY id",
                "SELECT * FROM shipment_line WHERE shipment_id IN "
                f"(SELECT id FROM shipment WHERE {order})",
                f"SELECT * FROM invoice WHERE {order} ORDER BY id",
                "SELECT * FROM invoice_line WHERE invoice_id IN "
                f"(SELECT id FROM invoice WHERE {order})",
                "SELECT * FROM invoice_instalment WHERE invoice_id IN "
                f"(SELECT id FROM invoice WHERE {order})",
                f"SELECT * FROM order_event WHERE {order} ORDER BY at, id",
            ],
        ),
        Screen(
            "collector worklist",
            "/app/worklist",
            "collector",
            [
                "SELECT * FROM collection_task t JOIN invoice i ON i.id = t.invoice_id "
                f"WHERE t.id IN (SELECT t.id {WORKLIST})",
                "SELECT c.id, c.name, c.email, c.phone, c.language, c.currency, count(*), "
                "sum(i.outstanding) FROM customer c JOIN invoice i ON i.customer_id = c.id "
                f"AND i.outstanding > 0 WHERE c.id IN (SELECT t.customer_id {WORKLIST}) "
                "GROUP BY c.id, c.name, c.email, c.phone, c.language, c.currency",
            ],
        ),
    ]


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Stopwatch:
    """Times each request inside the app, from the request reaching it to the answer's last byte,
    around every middleware, the routing and the page: the render time, without the in-process
    client's own work (building the request, reading the answer, and httpx's per-request
    `import sniffio`, which searches sys.path every time since sniffio is not installed here)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        started = time.perf_counter()

        async def timed(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.last = time.perf_counter() - started

        await self.app(scope, receive, timed if scope["type"] == "http" else send)


async def _logged_in(app: Any, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")
    form = await client.get("/app/login")
    token = re.search(r'name="csrf_token" value="([^"]*)"', form.text)
    assert token, form.text
    data = {"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    await client.post("/app/login", data=data)
    return client


async def measure(engine: Engine, settings: Settings, renders: int) -> list[str]:
    app = create_app(settings, engine)
    async with app.router.lifespan_context(app):  # as a server starts it: figures read
        started = time.perf_counter()
        await app.state.dashboard_warming
        lines = [f"  dashboards' figures read at start in {time.perf_counter() - started:.1f} s"]
        return lines + await _renders(app, engine, renders)


def _expire(app: Any) -> None:
    """Makes the kept dashboard figures older than the refresh time."""
    cache = app.state.dashboard_figures
    cache.readings = {
        key: replace(kept, read_at=kept.read_at - cache.keep - timedelta(seconds=1))
        for key, kept in cache.readings.items()
    }


async def _renders(app: Any, engine: Engine, renders: int) -> list[str]:
    with engine.connect() as conn:
        first = conn.execute(text("SELECT min(id) FROM sales_order WHERE status != 'CLOSED'"))
        open_order = first.scalar() or 1
    lines = []
    stopwatch = Stopwatch(app)
    for screen in screens(open_order):
        client = await _logged_in(stopwatch, screen.username)
        expired = ""
        try:
            started = time.perf_counter()
            answer = await client.get(screen.path)
            first_ms = (time.perf_counter() - started) * 1000
            if answer.status_code == 404:
                lines.append(f"  {screen.name:<22} skipped: {screen.path} answers 404 here")
                continue
            assert answer.status_code == 200, (screen.path, answer.status_code)
            pages, trips, plains = [], [], []
            for _ in range(renders):
                started = time.perf_counter()
                answer = await client.get(screen.path)
                trips.append(time.perf_counter() - started)
                pages.append(stopwatch.last)
                started = time.perf_counter()
                with engine.connect() as conn:
                    for query in screen.plain:
                        conn.execute(text(query)).all()
                plains.append(time.perf_counter() - started)
            if screen.path == "/app":
                _expire(app)
                started = time.perf_counter()
                await client.get(screen.path)
                expired = f" | after expiry {(time.perf_counter() - started) * 1000:.0f} ms"
                started = time.perf_counter()
                for refresh in list(app.state.dashboard_figures.refreshes.values()):
                    await refresh
                expired += f" (read again behind it in {time.perf_counter() - started:.1f} s)"
        finally:
            await client.aclose()
        p50, p95 = statistics.median(pages) * 1000, percentile(pages, 0.95) * 1000
        q50, q95 = statistics.median(plains) * 1000, percentile(plains, 0.95) * 1000
        t95 = percentile(trips, 0.95) * 1000
        verdict = "ok" if p95 <= 150 and p95 <= 5 * q95 else "MISSED"
        lines.append(
            f"  {screen.name:<22} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms | plain SELECT p50 "
            f"{q50:7.1f} ms  p95 {q95:7.1f} ms | ratio p95 x{p95 / q95:.2f} | {verdict} | "
            f"first render {first_ms:.0f} ms | through the client p95 {t95:.1f} ms{expired}"
        )
    return lines


def run_on(name: str, url: str, args: argparse.Namespace, folder: Path) -> None:
    engine = create_engine(url)
    settings = Settings(
        data_dir=folder,
        database_url=url,
        secret_key="bench-secret-key-with-enough-length-for-hs256",
        temporal_address="127.0.0.1:1",  # nothing here needs Temporal
        secure_cookies=False,
    )
    try:
        load = build(engine, args.orders, args.invoices, args.customers)
        lines = asyncio.run(measure(engine, settings, args.renders))
    finally:
        engine.dispose()
    print(f"{name} (load {load:.1f} s; target p95 <= 150 ms and <= x5 of the plain SELECT)")
    for line in lines:
        print(line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench pages", description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args(argv)
    print(
        f"pages: {args.orders:,} orders, {args.invoices:,} invoices over {args.customers:,} "
        f"customers; p50/p95 of {args.renders} renders each"
    )
    for name, url, folder in each_database(args.only):
        run_on(name, url, args, folder)


if __name__ == "__main__":
    main()
