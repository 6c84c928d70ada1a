"""An import as `GET /imports/{id}` shows it: the job, how far a running pass got, and how many
of the collection workflows it queued the outbox relay has started so far."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from activities.imports.jobs import job_public
from activities.imports.progress import RUNNING
from models.imports.jobs import ImportJobPublic, ImportProgress
from models.outbox import OutboxMessage, OutboxState


def import_status(session: Session, job_id: int) -> ImportJobPublic:
    job = job_public(session, job_id)
    running = RUNNING.get(job_id)
    if running is not None:
        job.progress = ImportProgress(
            phase=running.phase,
            rows=running.done,
            rows_per_second=round(running.rows_per_second, 1),
            eta_seconds=running.eta_seconds,
        )
    if job.counts.workflows:
        started = session.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                col(OutboxMessage.key).endswith(f"/import-{job_id}"),
                OutboxMessage.state == OutboxState.SENT,
            )
        ).one()
        job.workflows_started = int(started)
    return job
