"""Imports whose process died while they ran: found when the API starts, marked failed with
what happened, and run again on request from the upload kept with the job (or, for `o2c
import`, by running the command again). Each kind is written in one transaction that records
it on the job: a retry goes on with the kinds not committed yet, nothing is written twice."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from activities.imports.jobs import (
    failure_after,
    get_job,
    step_counts,
    to_public,
    total_counts,
)
from activities.imports.runner import THIS_PROCESS, runner_is_gone
from activities.transaction import run_command
from models.base import utcnow
from models.errors import Conflict
from models.imports.jobs import ImportJob, ImportJobPublic, ImportStatus

INTERRUPTED = "interrupted; nothing was written, run it again"
INTERRUPTED_AFTER = "interrupted"
LOG = logging.getLogger(__name__)
RUNNING_STATUSES = (ImportStatus.VALIDATING, ImportStatus.WRITING)


def fail_interrupted(session: Session) -> list[int]:
    """Every job left validating or writing by a dead process, now failed saying so."""
    query = select(ImportJob).where(col(ImportJob.status).in_(RUNNING_STATUSES))
    failed = []
    for job in session.exec(query).all():
        if not runner_is_gone(job.runner):
            continue
        failure = failure_after(INTERRUPTED_AFTER, job.steps) if job.steps else INTERRUPTED
        job.status, job.failure, job.finished_at = ImportStatus.FAILED, failure, utcnow()
        session.add(job)
        failed.append(job.id or 0)
    session.flush()
    return failed


def fail_interrupted_imports(engine: Engine) -> None:
    """At start-up; a database not reachable yet does not stop the API from starting (its
    health check says so), and the next start fails the jobs then."""
    try:
        failed = run_command(engine, fail_interrupted)
    except SQLAlchemyError as exc:
        LOG.warning("interrupted imports not checked: %s", exc)
        return
    if failed:
        LOG.warning("imports %s were interrupted and are now failed", failed)


def reopen_job(session: Session, job_id: int) -> tuple[ImportJobPublic, Path]:
    """A failed job back to `validating` under this process, and the upload it reads again."""
    job = get_job(session, job_id)
    if job.status != ImportStatus.FAILED:
        raise Conflict(f"import {job_id} is {job.status}; only a failed import runs again")
    kept = Path(job.stored_file) if job.stored_file else None
    if kept is None or not kept.exists():
        raise Conflict(f"the file of import {job_id} is no longer kept; upload it again")
    restart(job)
    session.add(job)
    session.flush()
    return to_public(job), kept


def restart(job: ImportJob) -> None:
    """Back to `validating` under this process; the kinds committed (`steps`), their counts and
    changes stay, and the run goes on after them."""
    job.status, job.failure, job.finished_at = ImportStatus.VALIDATING, None, None
    job.counts, job.errors = total_counts(step_counts(job.steps)).model_dump(), []
    job.changes = job.changes if job.steps else []
    job.runner = THIS_PROCESS


def resumable_job(session: Session, kind: str, sha256: str) -> ImportJobPublic | None:
    """The latest job of this file and kind that a crash or failure stopped after it committed
    some kinds, restarted under this process; None when there is none (a fresh import). A job
    left running by a dead process of this host is failed first."""
    fail_interrupted(session)
    query = (
        select(ImportJob)
        .where(
            ImportJob.kind == kind,
            ImportJob.file_sha256 == sha256,
            ImportJob.status == ImportStatus.FAILED,
            col(ImportJob.dry_run).is_(False),
        )
        .order_by(col(ImportJob.id).desc())
    )
    job = session.exec(query).first()
    if job is None or not job.steps:
        return None
    restart(job)
    session.add(job)
    session.flush()
    return to_public(job)
