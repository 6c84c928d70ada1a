"""An import as a job: the file it read (name and SHA-256), who ran it, how far it got, and
every row it refused. The API answers `GET /imports/{id}` from it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from models.base import optional_timestamp_field, timestamp_field
from models.imports.kinds import JobKind

# A file with more bad rows than this lists the first ones and counts the rest.
ERRORS_KEPT = 1000


class ImportStatus(StrEnum):
    VALIDATING = "validating"
    INVALID = "invalid"
    WRITING = "writing"
    DONE = "done"
    FAILED = "failed"


class RowError(BaseModel):
    """One refused cell (or the whole file: row 0), as the person who fixes it reads it; in a
    workbook with a sheet per kind, `sheet` names the sheet."""

    row: int
    column: str | None = None
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        if self.sheet:
            where = f"sheet {self.sheet}, {where if self.row else 'the sheet'}"
        return (
            f"{where}, column {self.column}: {self.message}"
            if self.column
            else f"{where}: {self.message}"
        )


class ImportCounts(BaseModel):
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    workflows: int = 0


class ImportJob(SQLModel, table=True):
    __tablename__ = "import_job"
    id: int | None = Field(default=None, primary_key=True)
    # Plain text, not database enums: a kind added later needs no migration.
    kind: JobKind = Field(sa_column=Column(String(32), nullable=False))
    file_name: str = Field(max_length=255)
    file_sha256: str = Field(max_length=64, index=True)
    user: str = Field(max_length=64)
    dry_run: bool = False
    as_of: date
    status: ImportStatus = Field(
        default=ImportStatus.VALIDATING, sa_column=Column(String(16), nullable=False)
    )
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    errors: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    changes: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    failure: str | None = None
    # A refused .xlsx: the copy with an errors column (GET /imports/{id}/errors.xlsx).
    errors_file: str | None = Field(default=None, max_length=500)
    # The process running it (host/pid/start token): a job it left running when it died is
    # failed at the next start (activities/imports/interrupted.py).
    runner: str | None = Field(default=None, max_length=200)
    # The upload an API import reads, kept while it runs and after it failed, for a retry.
    stored_file: str | None = Field(default=None, max_length=500)
    # Each kind committed so far, with its counts ({"kind", "rows", "created", ...}), in the
    # order written: a retry after a crash goes on with the kinds after them.
    steps: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    created_at: datetime = timestamp_field()
    finished_at: datetime | None = optional_timestamp_field()


class ImportProgress(BaseModel):
    """A running import's pass: rows so far, their rate, and the time left when known."""

    phase: str
    rows: int
    rows_per_second: float
    eta_seconds: float | None = None


class ImportJobPublic(SQLModel):
    id: int
    kind: JobKind
    file_name: str
    file_sha256: str
    user: str
    dry_run: bool
    as_of: date
    status: ImportStatus
    counts: ImportCounts
    errors: list[RowError]
    changes: list[dict[str, Any]]
    failure: str | None
    errors_file: str | None = None
    created_at: datetime
    finished_at: datetime | None
    steps: list[dict[str, Any]] = []
    progress: ImportProgress | None = None
    workflows_started: int | None = None


class ImportAccepted(BaseModel):
    id: int
    status: ImportStatus
