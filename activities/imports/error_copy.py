"""A refused .xlsx file handed back with its reasons: a copy of the first sheet with an `errors`
column saying, on each bad row, what is wrong with which cell (streamed both ways)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook

from models.imports.jobs import RowError

ERRORS_COLUMN = "errors"


def write_error_copy(original: Path, errors: Sequence[RowError], out: Path) -> Path:
    reasons: dict[int, list[str]] = {}
    for error in errors:
        where = f"{error.column}: " if error.column else ""
        reasons.setdefault(max(error.row, 1), []).append(where + error.message)
    source = load_workbook(original, read_only=True, data_only=False)
    copy = Workbook(write_only=True)
    sheet = copy.create_sheet(source.worksheets[0].title)
    try:
        for number, cells in enumerate(source.worksheets[0].iter_rows(values_only=True), 1):
            note = ERRORS_COLUMN if number == 1 else "; ".join(reasons.get(number, []))
            sheet.append([*cells, note])
    finally:
        source.close()
    copy.save(out)
    return out
