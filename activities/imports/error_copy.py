"""A refused .xlsx file handed back with its reasons: a copy of each sheet with an `errors`
column saying, on each bad row, what is wrong with which cell (streamed both ways). A file of
one kind is its first sheet; a workbook of all kinds, each sheet its errors name."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook

from models.imports.jobs import RowError

ERRORS_COLUMN = "errors"


def write_error_copy(original: Path, errors: Sequence[RowError], out: Path) -> Path:
    reasons: dict[tuple[str | None, int], list[str]] = {}
    for error in errors:
        where = f"{error.column}: " if error.column else ""
        reasons.setdefault((error.sheet, max(error.row, 1)), []).append(where + error.message)
    by_sheet = any(error.sheet for error in errors)
    source = load_workbook(original, read_only=True, data_only=False)
    copy = Workbook(write_only=True)
    try:
        sheets = source.worksheets if by_sheet else source.worksheets[:1]
        for original_sheet in sheets:
            name = original_sheet.title if by_sheet else None
            sheet = copy.create_sheet(original_sheet.title)
            for number, cells in enumerate(original_sheet.iter_rows(values_only=True), 1):
                note = ERRORS_COLUMN if number == 1 else "; ".join(reasons.get((name, number), []))
                sheet.append([*cells, note])
    finally:
        source.close()
    copy.save(out)
    return out
