"""An import from start to end: the job row, the check of every row, then the write in one
transaction that also marks the job done and leaves the audit trail's record of the file, so
a job is `done` exactly when its rows are committed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.imports.customers import CustomerImport
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
from activities.imports.stock import StockImport
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
from models.imports.kinds import ImportKind

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
    kind: ImportKind,
    file_name: str,
    file_sha256: str,
    user: str,
    dry_run: bool,
    as_of: date,
    stored_file: str | None = None,
) -> ImportJobPublic:
    job = ImportJob(
        kind=kind,
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


def run_import(
    engine: Engine, job_id: int, source: ImportFile, starts_per_second: float
) -> ImportJobPublic:
    """Check, then (unless a dry run or a bad row) write; the job's answer either way."""
    job = run_command(engine, get_job, job_id)
    progress = RUNNING.setdefault(job_id, Progress())
    # The importing user is the actor of every row written, for this import only.
    acting = audit_context.set(AuditContext(actor=job.user))
    kind = IMPORTS[job.kind]()
    try:
        try:
            checked = validate(engine, source, kind, progress)
        except FileRefused as refusal:
            return _refused(engine, job_id, source, ImportCounts(), refusal.errors)
        counts = ImportCounts(rows=checked.rows, invalid=checked.invalid)
        if checked.errors:
            return _refused(engine, job_id, source, counts, checked.errors)
        if job.dry_run:
            return run_command(engine, _finish, job_id, ImportStatus.DONE, counts)
        run_command(engine, _finish, job_id, ImportStatus.WRITING, counts)
        progress.begin("writing", checked.rows)
        context = WriteContext(job_id, job.as_of, starts_per_second)
        with transaction(engine) as session:
            written = write(session, source, kind, context, progress)
            counts = counts.model_copy(
                update={
                    "created": written.created,
                    "updated": written.updated,
                    "unchanged": written.unchanged,
                    "workflows": written.starts,
                }
            )
            summary = {
                "kind": str(job.kind),
                "file": job.file_name,
                "sha256": job.file_sha256,
                **counts.model_dump(),
            }
            record_import(session, job_id, job.user, summary)
            return _finish(session, job_id, ImportStatus.DONE, counts, written=written)
    except Exception as exc:
        # Nothing of the file was committed; the job says why, for a person to fix and rerun.
        failure = f"{type(exc).__name__}: {exc}"
        return run_command(
            engine, _finish, job_id, ImportStatus.FAILED, ImportCounts(), None, failure
        )
    finally:
        RUNNING.pop(job_id, None)
        audit_context.reset(acting)
