"""Imports from the old system: upload a file (checked, then written kind by kind, each all or
nothing, in the background), follow its job, retry it after a failure, download each kind's
template."""

from __future__ import annotations

import shutil
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from activities.imports.interrupted import reopen_job
from activities.imports.jobs import open_job, run_import
from activities.imports.reading import ImportFile, file_sha256
from activities.imports.status import import_status
from activities.imports.templates import template_xlsx
from api.deps import CurrentUser, Database, DatabaseDep, SettingsDep, reader, require
from api.downloads import download
from models.errors import NotFound
from models.fields import IdParam
from models.imports.jobs import ImportAccepted, ImportJobPublic, ImportStatus
from models.imports.kinds import JobKind
from models.security.users import Role
from notifications.tables import XLSX
from o2c.settings import Settings

router = APIRouter(prefix="/imports", tags=["imports"])
IMPORTERS = require(Role.FINANCE)


@router.post("", status_code=202, dependencies=[IMPORTERS])
async def start_import(
    kind: Annotated[JobKind, Form()],
    file: UploadFile,
    db: DatabaseDep,
    settings: SettingsDep,
    user: CurrentUser,
    background: BackgroundTasks,
    dry_run: Annotated[bool, Form()] = False,
    as_of: Annotated[date | None, Form()] = None,
) -> ImportAccepted:
    """Checks every row, then (unless `dry_run` or a bad row) writes the file in one
    transaction per kind (`all`: an .xlsx with a sheet per kind, every sheet checked before
    any is written); `GET /imports/{id}` follows it."""
    name = Path(file.filename or "upload").name
    folder = settings.data_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{uuid.uuid4().hex}-{name}"
    with stored.open("wb") as out:
        await run_in_threadpool(shutil.copyfileobj, file.file, out)
    job = await db.run(
        open_job,
        kind=kind,
        file_name=name,
        file_sha256=await run_in_threadpool(file_sha256, stored),
        user=user.username,
        dry_run=dry_run,
        as_of=as_of or date.today(),
        stored_file=str(stored),
    )
    source = ImportFile(stored, name, None, settings.import_max_bytes)
    background.add_task(_import_then_discard, db, job.id, source, settings)
    return ImportAccepted(id=job.id, status=job.status)


@router.post("/{import_id}/retry", status_code=202, dependencies=[IMPORTERS])
async def retry_import(
    import_id: IdParam, db: DatabaseDep, settings: SettingsDep, background: BackgroundTasks
) -> ImportAccepted:
    """A failed import (one a crash interrupted, too) run again from its kept upload, going on
    after the kinds it committed (`steps`); 409 when the job is not failed or its file is
    gone."""
    job, kept = await db.run(reopen_job, import_id)
    source = ImportFile(kept, job.file_name, None, settings.import_max_bytes)
    background.add_task(_import_then_discard, db, job.id, source, settings)
    return ImportAccepted(id=job.id, status=job.status)


def _import_then_discard(db: Database, job_id: int, source: ImportFile, settings: Settings) -> None:
    """The upload is kept while its import runs and after it failed, for a retry; a refused
    .xlsx's copy stays."""
    job = run_import(db.engine, job_id, source, settings.import_starts_per_second)
    if job.status != ImportStatus.FAILED:
        source.path.unlink(missing_ok=True)


@router.get("/templates/{kind}", dependencies=[reader(Role.FINANCE)])
async def template(kind: JobKind) -> Response:
    """An .xlsx with the header row, one example row and a sheet of each column's rule (`all`:
    a sheet per kind)."""
    return download(template_xlsx(kind), XLSX, f"o2c-{kind.value}-template.xlsx")


@router.get("/{import_id}/errors.xlsx", dependencies=[reader(Role.FINANCE)])
async def error_copy(import_id: IdParam, db: DatabaseDep) -> Response:
    """A refused .xlsx with an `errors` column on each bad row."""
    job = await db.run(import_status, import_id)
    if job.errors_file is None or not Path(job.errors_file).exists():
        raise NotFound(f"import {import_id} has no copy with errors", field="id")
    content = await run_in_threadpool(Path(job.errors_file).read_bytes)
    return download(content, XLSX, f"{Path(job.file_name).stem}.errors.xlsx")


@router.get("/{import_id}", dependencies=[reader(Role.FINANCE)])
async def get_import(import_id: IdParam, db: DatabaseDep) -> ImportJobPublic:
    return await db.run(import_status, import_id)
