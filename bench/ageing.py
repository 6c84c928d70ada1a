"""Ageing benchmark: 1,000,000 open invoices over 20,000 customers, some partly paid, loaded in
bulk (executemany on SQLite, COPY on PostgreSQL). Times the AR ageing report against a plain
`SELECT customer_id, SUM(outstanding) FROM invoice GROUP BY customer_id` over the same table in
the same run, on SQLite and on PostgreSQL (a database of its own, dropped after).

    python -m bench ageing [--invoices 100000] [--customers 20000] [--only sqlite|postgresql]

Targets: the report within 3x of the plain scan, under 2 s on PostgreSQL and 3 s on SQLite,
peak memory under 500 MB."""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers every table)
from activities.reports.ageing import AgeingSource, ageing_report
from activities.transaction import transaction
from bench._databases import each_database
from models.reports.ageing import DEFAULT_BUCKETS, AgeingBasis
from models.security.field_cipher import encrypt

CHUNK = 50_000
TODAY = date.today()
LOADED = ("customer", "invoice", "ledger_entry", "ledger_line")


Rows = list[tuple[Any, ...]]


def _late_days(rng: random.Random) -> int:
    """How many days after its due date a customer of the history paid: most on time or a little
    early, some a few weeks late, a few months late."""
    spread = rng.random()
    if spread < 0.6:
        return -rng.randint(0, 10)
    return rng.randint(1, 30) if spread < 0.9 else rng.randint(31, 120)


def _rows(
    invoices: int, customers: int, money: Callable[[int], Any], seed: int = 1, paid: bool = False
) -> Iterator[tuple[Rows, Rows, Rows, Rows, Rows]]:
    """Chunks of (invoice, ledger entry, ledger line, payment, payment allocation) rows in column
    order, dates as ISO text and money (from whole cents) in the database's own representation.
    With `paid`, a history: an invoice its customer paid by today (nearly all of those due long
    enough ago) is paid in full by a payment of its own, allocated to it on the day received; the
    others are open or partly paid as without it (their part payments allocated too)."""
    rng = random.Random(seed)
    now = datetime.now(UTC).isoformat(sep=" ")
    day = [(TODAY - timedelta(days=n)).isoformat() for n in range(-60, 461)]  # day[60 + n]
    zero = money(0)
    entry_id = line_id = 0
    for start in range(0, invoices, CHUNK):
        invs: Rows = []
        entries: Rows = []
        lines: Rows = []
        payments: Rows = []
        allocations: Rows = []
        for invoice_id in range(start + 1, min(start + CHUNK, invoices) + 1):
            customer_id = rng.randint(1, customers)
            age = rng.randint(0, 400)
            due_age = age - rng.choice((0, 14, 30, 30, 60))
            issued, due = day[60 + age], day[60 + due_age]
            total = rng.randint(1_000, 500_000)
            # paid in full this many days ago (history only; never before issue, 3 % never)
            settled_age = min(age, due_age - _late_days(rng)) if paid else -1
            if settled_age >= 0 and rng.random() < 0.97:
                part = total
            else:
                settled_age = -1
                part = total * rng.randint(10, 90) // 100 if rng.random() < 0.25 else 0
            number = f"INV-{issued[:4]}-{invoice_id:07d}"
            invs.append(
                (
                    invoice_id,
                    number,
                    customer_id,
                    "USD",
                    issued,
                    due,
                    money(total),
                    zero,
                    money(total),
                    money(part),
                    zero,
                    zero,
                    money(total - part),
                    "PAID" if part == total else "PARTIALLY_PAID" if part else "OPEN",
                    0,
                    f"bench/{invoice_id}",
                    now,
                    "INVOICE",
                    *((day[60 + settled_age] if settled_age >= 0 else None,) if paid else ()),
                )
            )
            entry_id += 1
            entries.append(
                (
                    entry_id,
                    f"invoice-{invoice_id}/issue",
                    issued,
                    "invoice",
                    invoice_id,
                    customer_id,
                    number,
                    now,
                )
            )
            lines.append(
                (line_id + 1, entry_id, "RECEIVABLES", money(total), zero, invoice_id, issued)
            )
            lines.append((line_id + 2, entry_id, "REVENUE", zero, money(total), None, issued))
            line_id += 2
            if part:  # received some days after issue, never after today
                if settled_age >= 0:
                    received = day[60 + settled_age]
                else:
                    received = day[60 + max(0, age - rng.randint(0, 60))]
                if paid:
                    payments.append(
                        (
                            invoice_id,
                            customer_id,
                            money(part),
                            zero,
                            "USD",
                            received,
                            f"bench/{invoice_id}",
                            "BANK",
                            "bench",
                            now,
                        )
                    )
                    allocations.append((invoice_id, invoice_id, invoice_id, money(part), received))
                entry_id += 1
                entries.append(
                    (
                        entry_id,
                        f"bench-payment-{invoice_id}",
                        received,
                        "payment",
                        invoice_id,
                        customer_id,
                        "BANK",
                        now,
                    )
                )
                lines.append((line_id + 1, entry_id, "CASH", money(part), zero, None, received))
                lines.append(
                    (line_id + 2, entry_id, "RECEIVABLES", zero, money(part), invoice_id, received)
                )
                line_id += 2
        yield invs, entries, lines, payments, allocations


def _customer_rows(customers: int) -> list[tuple[Any, ...]]:
    now = datetime.now(UTC).isoformat(sep=" ")
    return [
        (
            i,
            f"C{i:05d}",
            f"Customer {i}",
            encrypt(f"ap{i}@example.com", "customer.email"),  # as the column type stores it
            30,
            "standard",
            "USD",
            "ACTIVE",
            "en",
            0,
            now,
            "ON_SHIPMENT",
        )
        for i in range(1, customers + 1)
    ]


CUSTOMER_COLUMNS = (
    "id, code, name, email, payment_terms_days, credit_class, currency, status, "
    "language, credit_limit, created_at, invoice_policy"
)
INVOICE_COLUMNS = (
    "id, number, customer_id, currency, issue_date, due_date, subtotal, tax, total, "
    "paid, credited, written_off, outstanding, status, dunning_level, key, "
    "created_at, kind"
)
ENTRY_COLUMNS = "id, key, posted_on, document, document_id, customer_id, memo, created_at"
LINE_COLUMNS = "id, entry_id, account, debit, credit, invoice_id, posted_on"
PAYMENT_COLUMNS = (
    "id, customer_id, amount, unapplied, currency, received_on, reference, method, "
    "created_by, created_at"
)
ALLOCATION_COLUMNS = "id, payment_id, invoice_id, amount, allocated_on"
PAID = (*LOADED, "payment", "payment_allocation")  # the tables a paid history loads


def _placeholders(columns: str) -> str:
    return ", ".join("?" * len(columns.split(",")))


def _tables(
    paid: bool, invs: Rows, entries: Rows, lines: Rows, payments: Rows, allocations: Rows
) -> list[tuple[str, str, Rows]]:
    return [
        ("invoice", f"{INVOICE_COLUMNS}, settled_on" if paid else INVOICE_COLUMNS, invs),
        ("ledger_entry", ENTRY_COLUMNS, entries),
        ("ledger_line", LINE_COLUMNS, lines),
        ("payment", PAYMENT_COLUMNS, payments),
        ("payment_allocation", ALLOCATION_COLUMNS, allocations),
    ]


def load_sqlite(engine: Engine, invoices: int, customers: int, paid: bool = False) -> None:
    raw = engine.raw_connection()
    cursor = raw.cursor()
    cursor.execute("BEGIN")
    cursor.executemany(
        f"INSERT INTO customer ({CUSTOMER_COLUMNS}) VALUES ({_placeholders(CUSTOMER_COLUMNS)})",
        _customer_rows(customers),
    )
    for chunk in _rows(invoices, customers, lambda cents: cents * 100, paid=paid):
        for table, columns, rows in _tables(paid, *chunk):
            if not rows:
                continue
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({_placeholders(columns)})", rows
            )
    cursor.execute("COMMIT")
    raw.close()


def load_postgresql(engine: Engine, invoices: int, customers: int, paid: bool = False) -> None:
    raw = engine.raw_connection()
    cursor: Any = raw.cursor()

    def copy(table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
            for row in rows:
                stream.write_row(row)

    copy("customer", CUSTOMER_COLUMNS, _customer_rows(customers))
    for chunk in _rows(invoices, customers, lambda c: f"{c // 100}.{c % 100:02d}", paid=paid):
        for table, columns, rows in _tables(paid, *chunk):
            if rows:
                copy(table, columns, rows)
    raw.commit()
    raw.close()


def build(engine: Engine, invoices: int, customers: int, paid: bool = False) -> float:
    """The schema, loaded without its secondary indexes, which are built afterwards. `paid`: a
    history, most invoices paid in full with their payments and allocations (`_rows`)."""
    started = time.perf_counter()
    SQLModel.metadata.create_all(engine)
    tables = [SQLModel.metadata.tables[name] for name in (PAID if paid else LOADED)]
    with engine.begin() as conn:
        for table in tables:
            for index in table.indexes:
                index.drop(conn)
    loader = load_sqlite if engine.dialect.name == "sqlite" else load_postgresql
    loader(engine, invoices, customers, paid)
    with engine.begin() as conn:
        for table in tables:
            for index in table.indexes:
                index.create(conn)
    # Statistics (and on PostgreSQL the visibility map for index-only scans), as autovacuum
    # would leave them on a live database.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE" if engine.dialect.name == "sqlite" else "VACUUM ANALYZE"))
    return time.perf_counter() - started


def best_of(runs: int, work: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times) if runs < 3 else statistics.median(times)


def measure(engine: Engine, runs: int) -> dict[str, float]:
    plain = text("SELECT customer_id, SUM(outstanding) FROM invoice GROUP BY customer_id")

    def plain_scan() -> None:
        with engine.connect() as conn:
            conn.execute(plain).all()

    def report(source: AgeingSource, as_of: date) -> Callable[[], Any]:
        def run() -> None:
            with transaction(engine) as session:
                result = ageing_report(
                    session, as_of, AgeingBasis.DUE_DATE, DEFAULT_BUCKETS, source=source
                )
                assert result.customers

        return run

    with transaction(engine) as session:
        assert (
            ageing_report(session, TODAY, AgeingBasis.DUE_DATE, DEFAULT_BUCKETS).source == "invoice"
        )
    return {
        "plain": best_of(runs, plain_scan),
        "report": best_of(runs, report(AgeingSource.AUTO, TODAY)),
        "ledger": best_of(runs, report(AgeingSource.LEDGER, TODAY - timedelta(days=30))),
    }


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_on(name: str, url: str, invoices: int, customers: int, runs: int) -> None:
    engine = create_engine(url)
    try:
        load = build(engine, invoices, customers)
        figures = measure(engine, runs)
    finally:
        engine.dispose()
    limit = 2.0 if name == "postgresql" else 3.0
    ratio = figures["report"] / figures["plain"]
    print(
        f"{name:<11} load {load:6.1f} s | plain GROUP BY {figures['plain']:.3f} s | "
        f"ageing report {figures['report']:.3f} s (x{ratio:.2f} of plain; target x3, "
        f"< {limit:.0f} s) | ageing as of 30 days ago from the ledger {figures['ledger']:.3f} s "
        f"(x{figures['ledger'] / figures['plain']:.2f}) | peak RSS {peak_mb():.0f} MB"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench ageing", description=__doc__)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args(argv)
    print(
        f"ageing: {args.invoices:,} invoices over {args.customers:,} customers, "
        f"about a quarter partly paid; median of {args.runs} runs"
    )
    for name, url, _ in each_database(args.only):
        run_on(name, url, args.invoices, args.customers, args.runs)


if __name__ == "__main__":
    main()
