"""What one order costs, for sizing (docs/scaling.md): database transactions that wrote, Temporal
history events and activities (regular and local) across its workflows, and CPU time."""

from __future__ import annotations

import asyncio
import os
import resource
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def commits(engine: Engine) -> Iterator[list[object]]:
    """The transactions committed on `engine` while the block runs that changed a row, one item
    each (reads, and the relay's polls that found nothing, are left out: they depend on how
    often the bench and the relay look)."""
    counted: list[object] = []

    def began(connection: Connection) -> None:
        connection.info["wrote"] = False

    def executed(connection: Connection, cursor: Any, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith(WRITES) and cursor.rowcount:
            connection.info["wrote"] = True

    def committed(connection: Connection) -> None:
        if connection.info.pop("wrote", False):
            counted.append(connection)

    listeners = (("begin", began), ("after_cursor_execute", executed), ("commit", committed))
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield counted
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# What each of the process's threads does, by the start of its name (see o2c/worker.py).
THREAD_KINDS = (
    ("MainThread", "event loop (SDK, payloads, gRPC)"),
    ("o2c-activity", "activities"),
    ("temporal_workflow", "workflow code"),
    ("asyncio", "bench's commands and the relay"),
)
OTHER_THREADS = "Temporal core and other threads"


def cpu_by_thread() -> dict[str, float]:
    """CPU seconds each kind of thread of this process has used so far (THREAD_KINDS; Linux
    /proc, nothing elsewhere). Threads that ended meanwhile are not counted."""
    names = {thread.native_id: thread.name for thread in threading.enumerate()}
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = {}
    tasks = "/proc/self/task"
    for tid in os.listdir(tasks) if os.path.isdir(tasks) else []:
        try:
            with open(f"{tasks}/{tid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        name = names.get(int(tid), "")
        kind = next((k for prefix, k in THREAD_KINDS if name.startswith(prefix)), OTHER_THREADS)
        used[kind] = used.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return used


@dataclass(frozen=True)
class Histories:
    workflows: int
    events: int
    activities: int  # ActivityTaskScheduled: regular activities
    local_activities: int  # MarkerRecorded: local activities


async def histories(client: Client, leave_out: str = "NoopLifecycleWorkflow") -> Histories:
    """Every workflow run on the server but the `leave_out` type, counted."""
    runs = [(w.id, w.run_id) async for w in client.list_workflows(f'WorkflowType != "{leave_out}"')]
    gate = asyncio.Semaphore(20)

    async def kinds(workflow_id: str, run_id: str | None) -> list[int]:
        async with gate:
            history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
            return [e.event_type for e in history.events]

    every = [kind for run in await asyncio.gather(*(kinds(*r) for r in runs)) for kind in run]
    return Histories(
        workflows=len(runs),
        events=len(every),
        activities=every.count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
        local_activities=every.count(EventType.EVENT_TYPE_MARKER_RECORDED),
    )
