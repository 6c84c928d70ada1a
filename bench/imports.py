"""Going live at scale: N customers and M open invoices imported from CSV (checked, then written
with their ledger entries and queued collection starts), beside a plain bulk INSERT of the same
rows in the same run; then the outbox relay starting the first S collection workflows on the
real Temporal dev server. Prints rows/s of validation, writing and workflow starts, and the
process's peak memory (the files are streamed, never loaded whole).

    python -m bench imports [--customers 100000] [--invoices 1000000] [--starts 2000]
        [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, col, select
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

import models.tables  # noqa: F401  (registers every table)
from activities.imports.customers import CustomerImport
from activities.imports.kind import KindImport, WriteContext
from activities.imports.open_invoices import OpenInvoiceImport
from activities.imports.pipeline import validate, write
from activities.imports.progress import Progress
from activities.imports.reading import ImportFile
from activities.imports.spill import CheckedRows
from activities.transaction import transaction
from bench._databases import fresh_database, kind, targets
from models.master_data.customers import Customer
from models.outbox import OutboxKind, OutboxMessage, OutboxState
from models.receivables.invoices import Invoice, InvoiceInstalment, InvoiceKind, InvoiceStatus
from models.receivables.ledger import Account, LedgerEntry, LedgerLine
from o2c.db import engine_for
from o2c.relay import relay_once
from o2c.settings import Settings
from o2c.worker import build_worker
from workflows.search_attributes import ALL as SEARCH_ATTRIBUTES

BIN = Path(sys.executable).parent
AS_OF = date(2026, 12, 1)
CUSTOMER_HEADER = ["code", "name", "email", "currency", "credit_limit", "payment_terms_days"]
INVOICE_HEADER = ["number", "customer_code", "issue_date", "due_date", "amount", "paid", "currency"]


def _customer_rows(count: int) -> Iterator[list[Any]]:
    for n in range(count):
        yield [f"C{n:07d}", f"客户 {n} 有限公司", f"ap{n}@bench.example", "CNY", "50,000.00", 30]


def _invoice_rows(count: int, customers: int) -> Iterator[list[Any]]:
    for n in range(count):
        due = AS_OF - timedelta(days=n % 120 - 30)  # from 30 days ahead to 90 days overdue
        yield [f"OLD-{n:08d}", f"C{n % customers:07d}", due - timedelta(days=30), due,
               "1,200.00", "200.00" if n % 3 == 0 else "", "CNY"]  # fmt: skip


def _write_csv(path: Path, header: list[str], rows: Iterator[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _fresh(folder: Path, target: str, stack: ExitStack) -> Engine:
    """A new, empty database of the kind `target` names (dropped when the run ends)."""
    engine = engine_for(stack.enter_context(fresh_database(target, folder)))
    stack.callback(engine.dispose)
    SQLModel.metadata.create_all(engine)
    return engine


def _import(engine: Engine, path: Path, kind: KindImport) -> tuple[float, float, int]:
    """Seconds validating (the checked rows kept aside, as an import does), seconds writing,
    rows."""
    source = ImportFile(path, path.name)
    with CheckedRows() as kept:
        started = time.perf_counter()
        checked = validate(engine, source, kind, Progress(), kept.add)
        assert not checked.errors, checked.errors[:3]
        validated = time.perf_counter()
        with transaction(engine) as session:
            write(session, kept, kind, WriteContext(1, AS_OF, 1e9), Progress())
    return validated - started, time.perf_counter() - validated, checked.rows


def _plain_insert(engine: Engine, customers: int, invoices: int) -> tuple[float, float]:
    """The same rows as bare INSERTs in batches of 1,000: customers, then invoices."""
    now = datetime.now(UTC)
    started = time.perf_counter()
    with engine.begin() as conn:
        people = _customer_rows(customers)
        for first in range(0, customers, 1000):
            batch = [next(people) for _ in range(min(1000, customers - first))]
            conn.execute(
                insert(Customer),
                [
                    {
                        "code": row[0],
                        "name": row[1],
                        "email": row[2],
                        "currency": "CNY",
                        "credit_limit": Decimal("50000.00"),
                        "payment_terms_days": 30,
                        "credit_class": "standard",
                        "status": "ACTIVE",
                        "language": "en",
                        "invoice_policy": "ON_SHIPMENT",
                        "created_at": now,
                    }  # fmt: skip
                    for row in batch
                ],
            )
    customers_took = time.perf_counter() - started
    started = time.perf_counter()
    _plain_invoices(engine, customers, invoices, every_row=False)
    return customers_took, time.perf_counter() - started


def _plain_invoices(engine: Engine, customers: int, invoices: int, *, every_row: bool) -> None:
    """The invoice rows as bare INSERTs in batches of 1,000; `every_row`: with every other row
    an import writes for each (its instalment, ledger entry and two lines, outbox start), ids
    given, nothing looked up."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        rows = _invoice_rows(invoices, customers)
        for first in range(0, invoices, 1000):
            batch = [next(rows) for _ in range(min(1000, invoices - first))]
            ids = range(first + 1, first + 1 + len(batch))
            conn.execute(
                insert(Invoice),
                [
                    {
                        "id": n,
                        "number": r[0],
                        "customer_id": 1 + int(r[1][1:]),
                        "currency": "CNY",
                        "issue_date": r[2],
                        "due_date": r[3],
                        "subtotal": Decimal("1200.00"),
                        "tax": Decimal(0),
                        "total": Decimal("1200.00"),
                        "paid": Decimal(0),
                        "credited": Decimal(0),
                        "written_off": Decimal(0),
                        "outstanding": Decimal("1200.00"),
                        "status": InvoiceStatus.OPEN,
                        "dunning_level": 0,
                        "kind": InvoiceKind.INVOICE,
                        "key": f"plain/{r[0]}",
                        "created_at": now,
                    }  # fmt: skip
                    for n, r in zip(ids, batch, strict=True)
                ],
            )
            if every_row:
                _plain_invoice_parts(conn, list(zip(ids, batch, strict=True)), now)


def _plain_invoice_parts(conn: Any, batch: list[tuple[int, list[Any]]], now: datetime) -> None:
    amount = Decimal("1200.00")
    conn.execute(
        insert(InvoiceInstalment),
        [{"invoice_id": n, "seq": 1, "due_date": r[3], "amount": amount, "outstanding": amount}
         for n, r in batch],
    )  # fmt: skip
    conn.execute(
        insert(LedgerEntry),
        [{"id": n, "key": f"invoice-{n}/opening-balance", "posted_on": r[2], "document": "invoice",
          "document_id": n, "customer_id": 1 + int(r[1][1:]), "memo": f"opening balance {r[0]}",
          "created_at": now} for n, r in batch],
    )  # fmt: skip
    conn.execute(
        insert(LedgerLine),
        [line for n, r in batch for line in (
            {"entry_id": n, "account": Account.RECEIVABLES, "debit": amount, "credit": Decimal(0),
             "invoice_id": n, "posted_on": r[2]},
            {"entry_id": n, "account": Account.OPENING_BALANCE, "debit": Decimal(0),
             "credit": amount, "invoice_id": None, "posted_on": r[2]})],
    )  # fmt: skip
    conn.execute(
        insert(OutboxMessage),
        [{"key": f"start:invoice-{n}/plain", "kind": OutboxKind.START_WORKFLOW,
          "state": OutboxState.PENDING, "target": f"invoice-{n}", "name": "InvoiceCollection",
          "payload": {"invoice_id": n, "customer_id": 1 + int(r[1][1:]), "due_date": str(r[3]),
                      "outstanding": "1200.00", "start_at_level": 0},
          "attempts": 0, "next_attempt_at": now, "created_at": now} for n, r in batch],
    )  # fmt: skip


async def _starts(engine: Engine, folder: Path, count: int) -> float:
    """Workflow starts per second the relay gets from the dev server for the first `count`."""
    with engine.begin() as conn:
        first = select(OutboxMessage.id).order_by(col(OutboxMessage.id)).limit(count)
        conn.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).not_in(first))
            .values(state=OutboxState.DEAD)
        )
        conn.execute(update(OutboxMessage).values(next_attempt_at=datetime.now(UTC)))
    env = await WorkflowEnvironment.start_local(
        data_converter=pydantic_data_converter,
        dev_server_existing_path=str(BIN / "temporal"),
        search_attributes=SEARCH_ATTRIBUTES,
        dev_server_log_level="error",
    )
    settings = Settings(data_dir=folder, task_queue="bench-imports")
    try:
        async with build_worker(env.client, engine, settings):
            started = time.perf_counter()
            while _pending(engine):
                await relay_once(env.client, engine, settings.task_queue)
            return count / (time.perf_counter() - started)
    finally:
        await env.shutdown()


def _pending(engine: Engine) -> int:
    with transaction(engine) as session:
        query = select(func.count()).select_from(OutboxMessage)
        return int(session.exec(query.where(OutboxMessage.state == OutboxState.PENDING)).one())


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / max(seconds, 1e-9):>10,.0f} rows/s ({seconds:,.1f} s)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.imports", description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--starts", type=int, default=2_000, help="0: no Temporal phase")
    parser.add_argument("--database", default="sqlite", help="sqlite or postgresql")
    args = parser.parse_args(argv)
    target = targets([args.database])[0]
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        customers = _write_csv(
            folder / "customers.csv", CUSTOMER_HEADER, _customer_rows(args.customers)
        )
        invoices = _write_csv(
            folder / "invoices.csv", INVOICE_HEADER, _invoice_rows(args.invoices, args.customers)
        )
        plain = _fresh(folder, target, stack)
        plain_customers, plain_invoices = _plain_insert(plain, args.customers, args.invoices)
        plain = _fresh(folder, target, stack)
        _plain_insert(plain, args.customers, 0)
        started = time.perf_counter()
        _plain_invoices(plain, args.customers, args.invoices, every_row=True)
        plain_every_row = time.perf_counter() - started
        engine = _fresh(folder, target, stack)
        c_check, c_write, c_rows = _import(engine, customers, CustomerImport())
        i_check, i_write, i_rows = _import(engine, invoices, OpenInvoiceImport())
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        starts = asyncio.run(_starts(engine, folder, args.starts)) if args.starts else 0.0
    print(f"database:                   {kind(target)}")
    print(f"customers validated:        {_rate(c_rows, c_check)}")
    print(f"customers written:          {_rate(c_rows, c_write)}")
    print(f"customers plain INSERT:     {_rate(c_rows, plain_customers)}")
    print(f"ratio customers write / plain INSERT:     {c_write / plain_customers:.1f}x")
    print(f"open invoices validated:    {_rate(i_rows, i_check)}")
    print(f"open invoices written:      {_rate(i_rows, i_write)} (ledger, instalments, starts)")
    print(f"open invoices plain INSERT: {_rate(i_rows, plain_invoices)}")
    print(f"ratio invoices write / plain INSERT:      {i_write / plain_invoices:.1f}x")
    print(f"open invoices plain INSERT, every row:  {_rate(i_rows, plain_every_row)}")
    print("  (invoice, instalment, ledger entry, 2 ledger lines, outbox start: 6 rows each)")
    print(f"ratio invoices write / plain INSERT of every row: {i_write / plain_every_row:.1f}x")
    if args.starts:
        print(
            f"collection workflow starts: {starts:>10,.0f} /s (first {args.starts}, outbox relay)"
        )
    print(f"peak memory:                {peak_mb:>10,.0f} MB (import and plain INSERTs)")


if __name__ == "__main__":
    main()
