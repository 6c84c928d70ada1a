"""An import whose process died mid-write: the next API start reports it failed, saying that
nothing was written, and `POST /imports/{id}/retry` runs it again from the kept upload."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.imports.interrupted import INTERRUPTED
from activities.imports.jobs import get_job, open_job
from activities.imports.reading import file_sha256
from activities.imports.runner import THIS_PROCESS
from activities.transaction import run_command
from models.imports.jobs import ImportStatus
from models.imports.kinds import ImportKind
from models.security.users import Role
from o2c.settings import Settings
from tests import factories
from tests.imports.files import csv_file
from tests.support.api_client import api_client

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
HEADER = ["code", "name", "email", "currency", "credit_limit"]


def dead_process() -> str:
    """The runner name of a process on this host that has ended."""
    child = subprocess.Popen(["true"])  # noqa: S603, S607
    child.wait()
    host = THIS_PROCESS.split("/")[0]
    return f"{host}/{child.pid}/gone"


def left_writing(engine: Engine, upload: Path, runner: str) -> int:
    """A job as a process that died while writing it left it: `writing`, its upload kept."""
    job = run_command(
        engine,
        open_job,
        kind=ImportKind.CUSTOMERS,
        file_name="customers.csv",
        file_sha256=file_sha256(upload),
        user="finance",
        dry_run=False,
        as_of=date(2026, 11, 30),
        stored_file=str(upload),
    )

    def crashed(session: Session, job_id: int) -> None:
        found = get_job(session, job_id)
        found.status, found.runner = ImportStatus.WRITING, runner
        session.add(found)

    run_command(engine, crashed, job.id)
    return job.id


async def test_an_import_left_writing_is_failed_at_start_up_and_its_retry_completes(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    factories.one_user_per_role(engine)
    rows = [HEADER, ["C1", "华强", "a@hq.example", "CNY", "1,000"]]
    upload = settings.data_dir / "imports" / "0001-customers.csv"
    upload.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(csv_file(tmp_path / "customers.csv", rows), upload)
    interrupted = left_writing(engine, upload, dead_process())
    still_running = left_writing(engine, upload, THIS_PROCESS)

    async with api_client(engine, settings) as api:
        job = await api.get(f"/imports/{interrupted}", Role.FINANCE)
        assert (job["status"], job["failure"]) == ("failed", INTERRUPTED)
        assert (await api.get(f"/imports/{still_running}", Role.FINANCE))["status"] == "writing"
        assert (await api.get("/customers", params={"search": "C1"}))["total"] == 0

        retried = await api.call("POST", f"/imports/{interrupted}/retry", Role.FINANCE)
        assert retried.status_code == 202, retried.text
        job = await api.get(f"/imports/{interrupted}", Role.FINANCE)
        assert (job["status"], job["counts"]["created"], job["failure"]) == ("done", 1, None)
        assert (await api.get("/customers", params={"search": "C1"}))["items"][0]["name"] == "华强"
        assert not upload.exists()  # done: the upload is not kept any longer

        again = await api.call("POST", f"/imports/{interrupted}/retry", Role.FINANCE)
        assert again.status_code == 409
        assert "only a failed import runs again" in again.json()["detail"]
