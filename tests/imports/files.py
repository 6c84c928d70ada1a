"""Import files as an old system or a spreadsheet writes them, and an import run on them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy.engine import Engine

from activities.imports.jobs import open_job, run_import
from activities.imports.reading import ImportFile, file_sha256
from activities.transaction import run_command
from models.imports.jobs import ImportJobPublic
from models.imports.kinds import ImportKind, JobKind

TODAY = date(2026, 11, 30)


def csv_file(
    path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8", bom: bool = False
) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def xlsx_file(path: Path, rows: Sequence[Sequence[object]], merge: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def imported(
    engine: Engine,
    kind: ImportKind | JobKind,
    path: Path,
    *,
    dry_run: bool = False,
    as_of: date = TODAY,
    encoding: str | None = None,
    max_bytes: int = 200 * 1024 * 1024,
) -> ImportJobPublic:
    """The file imported as `o2c import` imports it, by the user "migrator"."""
    job = run_command(
        engine,
        open_job,
        kind=kind,
        file_name=path.name,
        file_sha256=file_sha256(path),
        user="migrator",
        dry_run=dry_run,
        as_of=as_of,
    )
    source = ImportFile(path, path.name, encoding, max_bytes)
    return run_import(engine, job.id, source, starts_per_second=1000)


def workbook_file(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """A workbook with a sheet per name, in the order given: a go-live upload of all kinds."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path
