"""The HTTP API under load, on the stack as it runs in production: the Temporal dev server, the
API and the worker as processes of their own (or one `o2c run` process holding both, as the dev
stack does), on SQLite or a fresh PostgreSQL database.

    python -m bench api [--requests 200] [--lifecycles 20] [--concurrency 50] [--customers 100]
        [--rate 25 --rate 50 ...] [--database sqlite|postgresql|URL]...
        [--api-processes 2 --workers 2 | --combined]

It measures POST /orders and POST /payments (each with an Idempotency-Key): throughput,
p50/p95/p99, errors and the API processes' CPU per request, first with `concurrency` clients each
sending its next request as soon as the last is answered (closed loop: the saturation throughput),
then at each `--rate` (requests/s spread over the same clients, each timed from when it was due:
the latency a steady arrival rate sees, queueing included); then whole lifecycles through the API
(order, approval, dispatch, payment, delivery, closed) beside the no-op ceiling of the same
Temporal server (`--lifecycles 0` leaves them out). It ends with the
checks every bench prints (outbox drained, no workflow failed), that nothing was done twice (one
invoice per order, one ledger entry per invoice and payment, one mail per invoice) and the peak
memory of each process.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from activities.transaction import run_command
from bench import _seed as seed
from bench._checks import after_run, drained_outbox, failed_workflows
from bench._databases import add_database_option, fresh_database, kind, targets
from bench._http import KEEPALIVE_SECONDS, Desk
from bench._http_lifecycle import order_to_closed
from bench._twice import done_twice
from bench.in_flight import run_in_flight
from bench.lifecycle import noop_rate
from o2c.bootstrap import upgrade_database
from o2c.db import engine_for
from o2c.mailcatcher import MailCatcher
from o2c.process_stack import Stack, free_ports
from o2c.temporal import connect


@dataclass(frozen=True)
class ApiRun:
    database: str
    requests: int
    lifecycles: int
    concurrency: int
    customers: int
    api_processes: int = 1
    workers: int = 1
    combined: bool = False
    rates: tuple[float, ...] = ()

    def topology(self) -> str:
        if self.combined:
            return "one `o2c run` process (API and worker)"
        return f"{self.api_processes} API process(es), {self.workers} worker process(es)"


# Issue 11's target for POST /orders and POST /payments at 50 concurrent clients.
TARGET_P99_MS = 100.0


async def load(
    desk: Desk, run: ApiRun, buyers: list[int], payers: list[int], stack: Stack
) -> list[str]:
    """POST /orders and POST /payments, timed in a closed loop and at each arrival rate; the
    report's lines."""
    today = date.today().isoformat()

    def api_cpu() -> float:
        return sum(part.cpu_seconds() for part in stack.apis)

    def bodies(path: str, batch: int) -> list[dict[str, Any]]:
        if path == "/orders":
            return [
                {
                    "customer_id": buyers[n % len(buyers)],
                    "lines": [{"sku": seed.SKU, "quantity": "1"}],
                }
                for n in range(run.requests)
            ]
        return [
            {"customer_id": payers[n % len(payers)], "amount": "10.00", "received_on": today}
            | {"reference": f"BENCH-{batch}-{n}"}
            for n in range(run.requests)
        ]

    lines: list[str] = []
    within: dict[str, list[float]] = {"/orders": [], "/payments": []}
    for batch, rate in enumerate([None, *run.rates]):
        how = f"{run.concurrency} clients, closed loop" if rate is None else f"at {rate:g}/s"
        lines.append(f"  {how}:")
        for role, path in (("sales", "/orders"), ("finance", "/payments")):
            key = f"{path[1:]}-{batch}"
            cpu = api_cpu()
            if rate is None:
                timings = await desk.timed(role, path, bodies(path, batch), key, run.concurrency)
            else:
                timings = await desk.at_rate(
                    role, path, bodies(path, batch), key, run.concurrency, rate
                )
                if timings.p99() <= TARGET_P99_MS and not timings.errors:
                    within[path].append(rate)
            timings.cpu = api_cpu() - cpu
            lines.append(timings.line(f"POST {path}"))
    if run.rates:
        for path, rates in within.items():
            best = f"{max(rates):g}/s" if rates else "none"
            tried = ", ".join(f"{rate:g}" for rate in run.rates)
            lines.append(
                f"  POST {path}: highest arrival rate tried with p99 <= {TARGET_P99_MS:.0f} ms "
                f"and no error: {best} (of {tried}/s)"
            )
    return lines


async def lifecycles(desk: Desk, run: ApiRun, buyers: list[int]) -> tuple[float, list[int]]:
    closed: list[int] = []

    async def one(number: int) -> None:
        closed.append(await order_to_closed(desk, buyers[number % len(buyers)], number))

    jobs = [lambda n=n: one(n) for n in range(run.lifecycles)]
    seconds = await run_in_flight(jobs, run.concurrency)
    return run.lifecycles / seconds, closed


async def measure(run: ApiRun) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp, fresh_database(run.database, Path(tmp)) as url:
        folder = Path(tmp)
        upgrade_database(url)
        engine = engine_for(url)
        seed.users(engine)
        buyers = seed.customers(engine, run.customers)
        payers = seed.customers(engine, run.customers, prefix="PAYER")
        seed.product(engine, (run.requests * (1 + len(run.rates)) + run.lifecycles) * 2)
        (smtp_port,) = free_ports(1)
        catcher = None if run.combined else MailCatcher(folder / "mailbox", port=smtp_port)
        stack = Stack(
            folder,
            url,
            smtp_port,
            name="bench",
            api_processes=run.api_processes,
            workers=run.workers,
            combined=run.combined,
        )
        if catcher:
            catcher.start()
        try:
            stack.start()
            limits = httpx.Limits(
                max_connections=run.concurrency * 2, keepalive_expiry=KEEPALIVE_SECONDS
            )
            async with httpx.AsyncClient(timeout=120, limits=limits) as http:
                desk = Desk(stack, http)
                writes = await load(desk, run, buyers, payers, stack)
                # Printed now: the latencies stay on record should a lifecycle fail.
                print("\n".join([header(run, url), *writes]), flush=True)
                before = {p.name: p.cpu_seconds() for p in stack.processes()}
                rate, closed = await lifecycles(desk, run, buyers) if run.lifecycles else (0, [])
                cpu = {p.name: p.cpu_seconds() - before[p.name] for p in stack.processes()}
            client = await connect(stack.settings)
            ceiling = await noop_rate(client, run.lifecycles, run.concurrency) if closed else 0
            outbox = await drained_outbox(engine, timeout=60)
            failed = await failed_workflows(client)
            twice = await asyncio.to_thread(
                run_command, engine, done_twice, closed, folder / "mailbox"
            )
            memory = [f"{p.name} {p.peak_memory_mib() or 0:.0f} MiB" for p in stack.processes()]
        except BaseException:
            print(stack.logs())
            raise
        finally:
            stack.stop()
            if catcher:
                catcher.stop()
            engine.dispose()
    checks = [
        *after_run(outbox, failed),
        f"  done twice:            {'nothing' if not twice else '; '.join(twice[:5])}",
        f"  peak memory:           {', '.join(memory)}",
    ]
    if not closed:
        return checks
    return [
        f"  lifecycles via HTTP {run.lifecycles:5d} orders  {rate:7.2f}/s   "
        f"no-op ceiling {ceiling:6.1f}/s   ratio {rate / ceiling:5.2f}",
        *checks,
        "  CPU per lifecycle:     "
        + ", ".join(
            f"{name} {seconds / run.lifecycles * 1000:.0f} ms" for name, seconds in cpu.items()
        )
        + " (the API's includes the bench's polling of GET /orders/{id})",
    ]


def header(run: ApiRun, url: str) -> str:
    return (
        f"api: {kind(url)}, {run.topology()}, {run.concurrency} concurrent clients, "
        f"orders of {run.customers} customer(s)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench api")
    parser.add_argument("--requests", type=int, default=200, help="POSTs of each kind")
    parser.add_argument("--lifecycles", type=int, default=20, help="0 leaves them out")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--customers", type=int, default=100)
    parser.add_argument(
        "--rate",
        type=float,
        action="append",
        default=[],
        help="also send the POSTs at this many requests/s over the same clients (repeatable)",
    )
    add_database_option(parser)
    parser.add_argument("--api-processes", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--combined", action="store_true", help="one `o2c run` process, as `make run` has it"
    )
    args = parser.parse_args(argv)
    if args.combined and (args.api_processes, args.workers) != (1, 1):
        parser.error("--combined runs one process: no --api-processes or --workers with it")
    for database in targets(args.database):
        run = ApiRun(
            database,
            args.requests,
            args.lifecycles,
            args.concurrency,
            args.customers,
            args.api_processes,
            args.workers,
            args.combined,
            tuple(args.rate),
        )
        print("\n".join(asyncio.run(measure(run))), flush=True)


if __name__ == "__main__":
    main()
