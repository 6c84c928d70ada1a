"""An import from start to end: the job row, the check of every row, then the write in one
transaction per kind that also records the kind on the job (and, for the last, marks the job
done) and leaves the audit trail's record of it, so
a job is `done` exactly when its rows are committed. An upload of all kinds is checked whole
first, then written kind by kind, each kind's transaction recording it on the job as
committed: a run interrupted between kinds goes on after the last one committed."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.imports.customers import CustomerImport
from activities.imports.earlier import Earlier
from activities.imports.error_copy import write_error_copy
from activities.imports.kind import KindImport, WriteContext, Written
from activities.imports.open_invoices import OpenInvoiceImport
from activities.imports.open_orders import OpenOrderImport
from activities.imports.pipeline import validate, write
from activities.imports.price_lists import PriceListImport
from activities.imports.products import ProductImport
from activities.imports.progress import RUNNING, Progress
from activities.imports.reading import FileRefused, ImportFile
from activities.imports.runner import THIS_PROCESS
from activities.imports.spill import CheckedRows
from activities.imports.stock import StockImport
from activities.imports.upload import Part, upload_parts
from activities.security.audit_context import AuditContext, audit_context
from activities.security.audit_trail import record_import
from activities.transaction import run_command, transaction
from models.base import utcnow
from models.errors import NotFound
from models.imports.jobs import (
    ERRORS_KEPT,
    ImportCounts,
    ImportJob,
    ImportJobPublic,
    ImportStatus,
    RowError,
)
from models.imports.kinds import ImportKind, JobKind

IMPORTS: dict[ImportKind, Callable[[], KindImport]] = {
    ImportKind.CUSTOMERS: CustomerImport,
    ImportKind.PRODUCTS: ProductImport,
    ImportKind.OPEN_INVOICES: OpenInvoiceImport,
    ImportKind.STOCK: StockImport,
    ImportKind.PRICE_LISTS: PriceListImport,
    ImportKind.OPEN_ORDERS: OpenOrderImport,
}


def open_job(
    session: Session,
    *,
    kind: JobKind | ImportKind,
    file_name: str,
    file_sha256: str,
    user: str,
    dry_run: bool,
    as_of: date,
    stored_file: str | None = None,
) -> ImportJobPublic:
    job = ImportJob(
        kind=JobKind(kind),
        file_name=file_name[:255],
        file_sha256=file_sha256,
        user=user,
        dry_run=dry_run,
        as_of=as_of,
        runner=THIS_PROCESS,
        stored_file=stored_file,
    )
    session.add(job)
    session.flush()
    return to_public(job)


def get_job(session: Session, job_id: int) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound(f"import {job_id} does not exist", field="id")
    return job


def job_public(session: Session, job_id: int) -> ImportJobPublic:
    return to_public(get_job(session, job_id))


def to_public(job: ImportJob) -> ImportJobPublic:
    return ImportJobPublic.model_validate(
        job,
        update={
            "counts": ImportCounts.model_validate(job.counts),
            "errors": [RowError.model_validate(e) for e in job.errors],
        },
    )


def _finish(
    session: Session,
    job_id: int,
    status: ImportStatus,
    counts: ImportCounts,
    errors: list[RowError] | None = None,
    failure: str | None = None,
    written: Written | None = None,
) -> ImportJobPublic:
    job = get_job(session, job_id)
    job.status = status
    job.counts = counts.model_dump()
    job.errors = [e.model_dump() for e in (errors or [])]
    job.changes = written.changes[:ERRORS_KEPT] if written else []
    job.failure = failure
    if status != ImportStatus.WRITING:
        job.finished_at = utcnow()
    session.add(job)
    session.flush()
    return to_public(job)


def _refused(
    engine: Engine, job_id: int, source: ImportFile, counts: ImportCounts, errors: list[RowError]
) -> ImportJobPublic:
    """Invalid: the job lists the errors; a refused .xlsx also gets a copy with an errors
    column, beside the file."""
    job = run_command(engine, _finish, job_id, ImportStatus.INVALID, counts, errors)
    if not source.is_xlsx or all(error.row == 0 for error in errors):
        return job
    out = source.path.with_name(f"{source.path.stem}.errors.xlsx")
    try:
        write_error_copy(source.path, errors, out)
    except Exception:  # the list of errors is the answer; the copy is a convenience
        return job
    return run_command(engine, _keep_error_copy, job_id, str(out))


def _keep_error_copy(session: Session, job_id: int, path: str) -> ImportJobPublic:
    job = get_job(session, job_id)
    job.errors_file = path
    session.add(job)
    return to_public(job)


@dataclass
class _Checked:
    """A part of the upload checked: its rows kept for the write, its counts and errors."""

    part: Part
    kind: KindImport
    rows: CheckedRows
    counts: ImportCounts
    errors: list[RowError]


def _check_all(
    engine: Engine, parts: list[Part], progress: Progress, stack: ExitStack
) -> list[_Checked]:
    """Every part checked, in the order written: a later sheet's references resolve against the
    database and the rows of the sheets before it."""
    earlier = Earlier()
    checked = []
    for position, part in enumerate(parts, start=1):
        kind = IMPORTS[part.kind]()
        rows = stack.enter_context(CheckedRows())

        def keep(row: Any, part: Part = part, rows: CheckedRows = rows) -> None:
            rows.add(row)
            earlier.add(part.kind, row)

        # What the last part brings, no part after it looks up.
        keep_row = rows.add if position == len(parts) else keep
        progress.begin(f"validating {part.kind.value}")
        try:
            result = validate(engine, part.source, kind, progress, keep_row, earlier)
        except FileRefused as refusal:
            checked.append(_Checked(part, kind, rows, ImportCounts(), part.located(refusal.errors)))
            continue
        counts = ImportCounts(rows=result.rows, invalid=result.invalid)
        checked.append(_Checked(part, kind, rows, counts, part.located(result.errors)))
    return checked


def total_counts(counts: list[ImportCounts]) -> ImportCounts:
    fields = ImportCounts.model_fields
    return ImportCounts(**{name: sum(getattr(c, name) for c in counts) for name in fields})


def step_counts(steps: list[dict[str, Any]]) -> list[ImportCounts]:
    return [ImportCounts.model_validate(step) for step in steps]


def _commit_step(
    session: Session,
    job_id: int,
    kind: ImportKind,
    counts: ImportCounts,
    written: Written,
    last: bool,
) -> ImportJobPublic:
    """A kind written: recorded on the job in the transaction that wrote it, so the job says
    exactly which kinds are committed; the last one marks the job done."""
    job = get_job(session, job_id)
    job.steps = [*job.steps, {"kind": kind.value, **counts.model_dump()}]
    job.counts = total_counts(step_counts(job.steps)).model_dump()
    job.changes = [*job.changes, *written.changes][:ERRORS_KEPT]
    if last:
        job.status, job.finished_at = ImportStatus.DONE, utcnow()
    session.add(job)
    session.flush()
    return to_public(job)


def committed_kinds(steps: list[dict[str, Any]]) -> list[str]:
    return [str(step["kind"]) for step in steps]


def failure_after(reason: str, steps: list[dict[str, Any]]) -> str:
    """Why a job failed, and what of it is committed (a retry goes on from there)."""
    if not steps:
        return reason
    kinds = ", ".join(committed_kinds(steps))
    return f"{reason}; committed before it: {kinds} (a retry goes on with the rest)"


def run_import(
    engine: Engine, job_id: int, source: ImportFile, starts_per_second: float
) -> ImportJobPublic:
    """Check every part, then (unless a dry run or a bad row) write them kind by kind, one
    transaction each; the kinds a crashed run committed are not checked or written again."""
    job = run_command(engine, get_job, job_id)
    progress = RUNNING.setdefault(job_id, Progress())
    # The importing user is the actor of every row written, for this import only.
    acting = audit_context.set(AuditContext(actor=job.user))
    try:
        with ExitStack() as stack:
            try:
                parts = upload_parts(job.kind, source)
            except FileRefused as refusal:
                return _refused(engine, job_id, source, ImportCounts(), refusal.errors)
            done = set(committed_kinds(job.steps))
            todo = [part for part in parts if part.kind.value not in done]
            checked = _check_all(engine, todo, progress, stack)
            counts = total_counts([c.counts for c in checked])
            errors = [error for c in checked for error in c.errors][:ERRORS_KEPT]
            if errors:
                return _refused(engine, job_id, source, counts, errors)
            if job.dry_run:
                return run_command(engine, _finish, job_id, ImportStatus.DONE, counts)
            total = total_counts([counts, *step_counts(job.steps)])
            run_command(engine, _finish, job_id, ImportStatus.WRITING, total)
            context = WriteContext(job_id, job.as_of, starts_per_second)
            answer = run_command(engine, job_public, job_id)
            for position, part in enumerate(checked, start=1):
                answer = _write_part(engine, job, part, context, progress, position == len(todo))
            if not todo:  # a retry of a job whose every kind was committed
                answer = run_command(engine, _finish, job_id, ImportStatus.DONE, total)
            return answer
    except Exception as exc:
        # What was committed stays, and the job says which kinds: a retry goes on after them.
        steps = run_command(engine, get_job, job_id).steps
        failure = failure_after(f"{type(exc).__name__}: {exc}", steps)
        counts = total_counts(step_counts(steps))
        return run_command(engine, _failed, job_id, counts, failure)
    finally:
        RUNNING.pop(job_id, None)
        audit_context.reset(acting)


def _failed(session: Session, job_id: int, counts: ImportCounts, failure: str) -> ImportJobPublic:
    job = get_job(session, job_id)
    written = Written(changes=list(job.changes))
    return _finish(session, job_id, ImportStatus.FAILED, counts, None, failure, written)


def _write_part(
    engine: Engine,
    job: ImportJob,
    checked: _Checked,
    context: WriteContext,
    progress: Progress,
    last: bool,
) -> ImportJobPublic:
    """One kind in one transaction, with its record in the audit trail and on the job."""
    kind = checked.part.kind
    progress.begin(f"writing {kind.value}", checked.counts.rows)
    with transaction(engine) as session:
        written = write(session, checked.rows, checked.kind, context, progress)
        counts = checked.counts.model_copy(
            update={
                "created": written.created,
                "updated": written.updated,
                "unchanged": written.unchanged,
                "workflows": written.starts,
            }
        )
        summary = {
            "kind": kind.value,
            "file": job.file_name,
            "sha256": job.file_sha256,
            **counts.model_dump(),
        }
        record_import(session, context.job_id, job.user, summary)
        return _commit_step(session, context.job_id, kind, counts, written, last)
