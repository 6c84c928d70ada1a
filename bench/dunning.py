"""Dunning at scale: N invoices fall due at the same moment on the real Temporal dev server and
the worker takes every one's first dunning step (read the position, write the step). Measured
against N no-op workflows that only wait on a timer to the same kind of moment, in the same
run, on the same server and worker.

    python -m bench.dunning [--invoices 10000] [--lead SECONDS]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, select
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

import models.tables  # noqa: F401  (registers every table)
from activities.collection.policies import put_class_policy
from activities.master_data.customers import create_customer
from activities.transaction import transaction
from bench.in_flight import run_in_flight
from bench.timer_workflow import BenchTimerWorkflow
from models.collection.dunning import DunningPolicyIn, DunningStep
from models.collection.dunning_terms import DunningLevelSpec
from models.master_data.customers import CustomerCreate
from models.receivables.invoices import Invoice, InvoiceKind, InvoiceStatus
from models.sales.messages import InvoiceCollectionInput
from models.workflow_ids import invoice_workflow_id
from o2c.db import engine_for
from o2c.settings import Settings
from o2c.worker import WORKFLOWS, build_worker
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow
from workflows.search_attributes import ALL as SEARCH_ATTRIBUTES

BIN = Path(sys.executable).parent
STARTS_IN_FLIGHT = 200


def _prepare(engine: Engine, count: int, fire_at: datetime) -> list[int]:
    """One customer whose policy's reminder falls at `fire_at` on the invoices' due date."""
    SQLModel.metadata.create_all(engine)
    with transaction(engine) as session:
        customer = create_customer(
            session,
            CustomerCreate(code="BENCH", name="Bench Ltd", email="ap@bench.example"),
        )
        put_class_policy(
            session,
            "standard",
            DunningPolicyIn(
                reminder_days_before_due=0,
                levels=[DunningLevelSpec(level=1, days_past_due=7)],
                run_at=fire_at.time(),
                min_outstanding=Decimal("0.00"),
            ),
        )
        session.execute(
            insert(Invoice),
            [
                {
                    "number": f"INV-BENCH-{i:06d}",
                    "customer_id": customer.id,
                    "currency": "USD",
                    "issue_date": fire_at.date() - timedelta(days=30),
                    "due_date": fire_at.date(),
                    "subtotal": Decimal("100.00"),
                    "tax": Decimal("0"),
                    "total": Decimal("100.00"),
                    "paid": Decimal("0"),
                    "credited": Decimal("0"),
                    "written_off": Decimal("0"),
                    "outstanding": Decimal("100.00"),
                    "status": InvoiceStatus.OPEN,
                    "dunning_level": 0,
                    "kind": InvoiceKind.INVOICE,
                    "key": f"bench-{i}",
                    "created_at": datetime.now(UTC),
                }
                for i in range(count)
            ],
        )
        return list(session.exec(select(Invoice.id).order_by(Invoice.id)).all())  # type: ignore[arg-type]


async def _wait_until(moment: datetime) -> None:
    await asyncio.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()))


async def _seconds_after(moment: datetime, done: Callable[[], Awaitable[bool]]) -> float:
    """Seconds from `moment` until `done()` holds, polled every 50 ms."""
    await _wait_until(moment)
    while not await done():
        await asyncio.sleep(0.05)
    return (datetime.now(UTC) - moment).total_seconds()


async def _noop_phase(client: Client, queue: str, count: int, lead: float) -> float:
    fire_at = datetime.now(UTC) + timedelta(seconds=lead)
    starts = [
        (
            lambda i=i: client.start_workflow(
                BenchTimerWorkflow.run, fire_at, id=f"bench-timer-{i}", task_queue=queue
            )
        )
        for i in range(count)
    ]
    took = await run_in_flight(starts, STARTS_IN_FLIGHT)
    _warn_if_late(took, lead, "no-op")

    async def all_closed() -> bool:
        running = await client.count_workflows(
            'WorkflowType = "BenchTimerWorkflow" AND ExecutionStatus = "Running"'
        )
        return running.count == 0

    return await _seconds_after(fire_at, all_closed)


async def _dunning_phase(
    client: Client, engine: Engine, queue: str, count: int, lead: float
) -> float:
    fire_at = (datetime.now(UTC) + timedelta(seconds=lead)).replace(microsecond=0)
    invoice_ids = await asyncio.to_thread(_prepare, engine, count, fire_at)
    starts = [
        (
            lambda invoice_id=invoice_id: client.start_workflow(
                InvoiceCollectionWorkflow.run,
                InvoiceCollectionInput(
                    invoice_id=invoice_id,
                    customer_id=1,
                    due_date=fire_at.date(),
                    outstanding=Decimal("100.00"),
                ),
                id=invoice_workflow_id(invoice_id),
                task_queue=queue,
            )
        )
        for invoice_id in invoice_ids
    ]
    took = await run_in_flight(starts, STARTS_IN_FLIGHT)
    _warn_if_late(took, lead, "dunning")

    def steps_taken() -> int:
        with transaction(engine) as session:
            return int(session.exec(select(func.count()).select_from(DunningStep)).one())

    async def all_stepped() -> bool:
        return await asyncio.to_thread(steps_taken) >= count

    return await _seconds_after(fire_at, all_stepped)


def _warn_if_late(took: float, lead: float, phase: str) -> None:
    print(f"  {phase}: started in {took:.1f} s (timer set {lead:.0f} s ahead)", flush=True)
    if took >= lead:
        print(f"  WARNING: {phase} starts outlasted the lead; raise --lead", flush=True)


async def run(count: int, lead: float) -> tuple[float, float]:
    env = await WorkflowEnvironment.start_local(
        data_converter=pydantic_data_converter,
        dev_server_existing_path=str(BIN / "temporal"),
        search_attributes=SEARCH_ATTRIBUTES,
        dev_server_log_level="error",
    )
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), task_queue="bench-dunning")
        engine = engine_for(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            worker = build_worker(env.client, engine, settings)
            timer_worker = Worker(
                env.client,
                task_queue=settings.task_queue + "-timer",
                workflows=[BenchTimerWorkflow],
            )
            async with worker, timer_worker:
                noop = await _noop_phase(env.client, timer_worker.task_queue, count, lead)
                dunning = await _dunning_phase(env.client, engine, settings.task_queue, count, lead)
        finally:
            engine.dispose()
            await env.shutdown()
    return noop, dunning


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.dunning", description=__doc__)
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--lead", type=float, default=None, help="seconds to start them all")
    args = parser.parse_args(argv)
    lead = args.lead if args.lead is not None else 20 + args.invoices / 60
    assert WORKFLOWS  # the worker carries every o2c workflow, as in production
    noop, dunning = asyncio.run(run(args.invoices, lead))
    print(f"invoices falling due at once:            {args.invoices}")
    print(f"no-op workflows waiting on the timer:    {noop:.2f} s after it fired")
    print(f"first dunning step of every invoice:     {dunning:.2f} s after it fell due")
    print(f"ratio dunning / no-op:                   {dunning / max(noop, 0.001):.2f}x")


if __name__ == "__main__":
    main()
