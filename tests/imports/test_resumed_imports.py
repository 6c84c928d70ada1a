"""A go-live import a crash stopped part way goes on from the last kind it committed: run again
(`o2c import all FILE` finds the job of the same file) or retried (`POST /imports/{id}/retry`),
it neither checks nor writes the committed kinds again, and every row and every workflow start
is there once. The crash is raised inside the real pipeline, between two kinds."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.imports.interrupted import fail_interrupted, resumable_job
from activities.imports.jobs import get_job, run_import
from activities.imports.open_invoices import OpenInvoiceImport
from activities.imports.reading import ImportFile, file_sha256
from activities.imports.status import import_status
from activities.transaction import run_command
from models.collection.dunning import DunningStep
from models.imports.jobs import ImportJobPublic, ImportStatus
from models.imports.kinds import JobKind
from models.master_data.customers import Customer
from models.outbox import OutboxMessage, OutboxState
from models.receivables.invoices import Invoice
from models.security.audit import AuditEvent
from o2c import relay
from tests import factories
from tests.imports.files import imported, workbook_file
from tests.imports.test_go_live_workbook import CUSTOMERS, INVOICES, PRODUCTS, STOCK
from tests.support.polling import eventually
from tests.support.workflows import Flow

SHEETS = {"customers": CUSTOMERS, "products": PRODUCTS, "stock": STOCK, "open-invoices": INVOICES}


class Crash(Exception):
    """The process dying at a chosen point (raised where a kill would stop it)."""


def crash_once(monkeypatch: pytest.MonkeyPatch, target: Any, name: str) -> list[int]:
    """The first call of target.name raises Crash; later calls run as before."""
    calls: list[int] = []
    real = getattr(target, name)

    def crashing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise Crash("the worker was killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, crashing)
    return calls


def rerun(engine: Engine, upload: Path) -> ImportJobPublic:
    """`o2c import all FILE` run again: the job a crash stopped, going on."""
    job = run_command(engine, resumable_job, "all", file_sha256(upload))
    assert job is not None
    return run_import(engine, job.id, ImportFile(upload, upload.name), starts_per_second=1000)


def count(engine: Engine, query: Any) -> int:
    with Session(engine) as session:
        return int(session.exec(query).one())


def test_a_crash_between_kinds_resumes_after_the_last_kind_committed(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.dunning_policy(engine)
    upload = workbook_file(tmp_path / "go-live.xlsx", SHEETS)
    crash_once(monkeypatch, OpenInvoiceImport, "write")

    crashed = imported(engine, JobKind.ALL, upload)

    assert crashed.status == "failed"
    assert [step["kind"] for step in crashed.steps] == ["customers", "products", "stock"]
    assert crashed.failure == (
        "Crash: the worker was killed; committed before it: customers, products, stock "
        "(a retry goes on with the rest)"
    )
    assert count(engine, select(func.count()).select_from(Customer)) == 2
    assert count(engine, select(func.count()).select_from(Invoice)) == 0

    checked: list[str] = []
    real_check = OpenInvoiceImport.check
    monkeypatch.setattr(
        "activities.imports.customers.CustomerImport.check",
        lambda *args: checked.append("customers"),
    )

    def check_invoice(self: OpenInvoiceImport, number: int, row: dict[str, object]) -> Any:
        checked.append("open-invoices")
        return real_check(self, number, row)

    monkeypatch.setattr(OpenInvoiceImport, "check", check_invoice)
    resumed = rerun(engine, upload)

    assert resumed.id == crashed.id
    assert resumed.status == "done", resumed.errors
    assert checked == ["open-invoices", "open-invoices"]  # the committed kinds are skipped
    kinds = ["customers", "products", "stock", "open-invoices"]
    assert [step["kind"] for step in resumed.steps] == kinds
    assert (resumed.counts.created, resumed.counts.workflows) == (6, 2)
    assert count(engine, select(func.count()).select_from(Customer)) == 2
    assert count(engine, select(func.count()).select_from(Invoice)) == 2
    assert count(engine, select(func.count()).select_from(OutboxMessage)) == 2
    with Session(engine) as session:
        records = session.exec(select(AuditEvent.after).where(AuditEvent.action == "imported"))
        per_kind = [json.loads(after or "") for after in records]
    # One record per kind committed; each customer created (and counted) once.
    assert [(record["kind"], record["created"]) for record in per_kind] == [
        ("customers", 2),
        ("products", 1),
        ("stock", 1),
        ("open-invoices", 2),
    ]
    assert run_command(engine, resumable_job, "all", file_sha256(upload)) is None


def test_a_job_left_running_by_a_dead_process_says_what_it_committed(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.dunning_policy(engine)
    upload = workbook_file(tmp_path / "go-live.xlsx", SHEETS)
    crash_once(monkeypatch, OpenInvoiceImport, "write")
    job = imported(engine, JobKind.ALL, upload)

    def left_writing(session: Session) -> None:
        found = get_job(session, job.id)
        found.status, found.failure, found.runner = ImportStatus.WRITING, None, None
        session.add(found)

    run_command(engine, left_writing)
    assert run_command(engine, fail_interrupted) == [job.id]
    failed = run_command(engine, import_status, job.id)
    assert failed.failure == (
        "interrupted; committed before it: customers, products, stock "
        "(a retry goes on with the rest)"
    )
    assert rerun(engine, upload).status == "done"
    assert count(engine, select(func.count()).select_from(Invoice)) == 2


async def test_collection_starts_cut_off_by_a_crash_go_on_and_start_each_workflow_once(
    flow: Flow, sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The starts are committed with the invoices, in the outbox; the relay starts them. A
    crash after Temporal started a workflow but before the relay recorded it leaves that start
    pending: the next pass finds the workflow running and records it, starting nothing twice."""
    factories.staff(sqlite_engine, factories.COLLECTIONS_TEAM)
    factories.dunning_policy(sqlite_engine)
    today = await flow.today()
    rows = [CUSTOMERS[0], CUSTOMERS[2]]
    invoices = [INVOICES[0]]
    for n in range(3):
        due = today - timedelta(days=75)
        invoices.append([f"OLD-{n}", "C2", due - timedelta(days=30), due, "100.00", "", "USD"])
    upload = workbook_file(
        tmp_path / "go-live.xlsx", {"customers": rows, "open-invoices": invoices}
    )
    job = imported(sqlite_engine, JobKind.ALL, upload, as_of=today)
    assert job.counts.workflows == 3

    calls = crash_once(monkeypatch, relay, "_record")  # started, then killed before recording
    with pytest.raises(Crash):
        await flow.relay()
    with Session(sqlite_engine) as session:
        states = session.exec(select(OutboxMessage.state)).all()
    assert states == [OutboxState.PENDING] * 3  # nothing recorded as sent
    # The dead relay's claim lapses (its lease, relay.LEASE, runs out on the wall clock).
    with Session(sqlite_engine) as session:
        session.execute(update(OutboxMessage).values(next_attempt_at=datetime.now(UTC)))
        session.commit()

    assert await flow.relay() == 3
    assert len(calls) == 2
    status = run_command(sqlite_engine, import_status, job.id)
    assert status.workflows_started == 3

    async def steps() -> list[tuple[int, int]]:
        with Session(sqlite_engine) as session:
            query = select(DunningStep.invoice_id, DunningStep.level)
            return list(session.exec(query.order_by(col(DunningStep.invoice_id))).all())

    found = await eventually(steps, lambda got: len(got) == 3)
    assert [level for _, level in found] == [3, 3, 3]  # one step per invoice: each started once
    await flow.env.sleep(timedelta(hours=1))
    assert len(await steps()) == 3
