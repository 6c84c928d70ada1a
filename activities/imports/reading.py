"""Reads an import file row by row, never whole: CSV in UTF-8 (with or without BOM), GB18030 or
Big5 (detected, or named), and .xlsx streamed by openpyxl in read-only mode. The header row is
checked against the kind's columns first; a file that cannot be read as a table is refused with
the row and column at fault."""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from models.imports.cells import text
from models.imports.jobs import RowError
from models.imports.kinds import Column
from notifications.tables import formula_like

SAMPLE_BYTES = 64 * 1024
ENCODINGS = ("utf-8", "gb18030", "big5")
XLSX_MAGIC = b"PK\x03\x04"
MERGE = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


class FileRefused(Exception):
    """The file cannot be imported as it is; `errors` say where and why."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = list(errors)


def refused(row: int, column: str | None, message: str) -> FileRefused:
    return FileRefused([RowError(row=row, column=column, message=message)])


@dataclass(frozen=True)
class ImportFile:
    """A file to import, as stored on disk, and how to read it."""

    path: Path
    name: str
    encoding: str | None = None  # None: detected
    max_bytes: int = 200 * 1024 * 1024
    sheet: str | None = None  # an .xlsx workbook's sheet; None: the first

    @property
    def is_xlsx(self) -> bool:
        with self.path.open("rb") as handle:
            return handle.read(4) == XLSX_MAGIC


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def detect_encoding(sample: bytes) -> str:
    """UTF-8 if it decodes as such; else GB18030 or Big5, whichever reads as the more common
    characters of its script (both decode most of each other's bytes)."""
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:  # a character cut by the end of the sample
            return "utf-8"
    scores = {name: _score(sample, name) for name in ("gb18030", "big5")}
    return max(scores, key=lambda name: scores[name])


def _score(sample: bytes, encoding: str) -> float:
    try:
        decoded = codecs.getincrementaldecoder(encoding)().decode(sample)
    except UnicodeDecodeError:
        return -1.0
    han = [char for char in decoded if "\u4e00" <= char <= "\u9fff"]
    if not han:
        return 0.0
    return sum(1 for char in han if _common(char, encoding)) / len(han)


def _common(char: str, encoding: str) -> bool:
    """In GB2312 (the simplified characters in daily use), or Big5's frequent-character block."""
    if encoding == "gb18030":
        try:
            char.encode("gb2312")
            return True
        except UnicodeEncodeError:
            return False
    return 0xA4 <= char.encode("big5")[0] <= 0xC6


def header_names(cells: Sequence[object]) -> list[str]:
    return [text(cell).lower().replace(" ", "_") for cell in cells]


def check_header(names: list[str], columns: Sequence[Column]) -> None:
    known = {column.name for column in columns}
    errors = []
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            continue
        if name not in known:
            message = f"unknown column {name!r} (position {position}); the columns are: "
            errors.append(RowError(row=1, column=name, message=message + ", ".join(known)))
        elif name in seen:
            errors.append(RowError(row=1, column=name, message="appears twice in the header"))
        seen.add(name)
    for column in columns:
        if column.required and column.name not in seen:
            message = "required column missing from the header row"
            errors.append(RowError(row=1, column=column.name, message=message))
    if not seen:
        errors = [RowError(row=1, message="no header row: the first row names the columns")]
    if errors:
        raise FileRefused(errors)


def rows(source: ImportFile, columns: Sequence[Column]) -> Iterator[tuple[int, dict[str, object]]]:
    """(row number as the spreadsheet shows it, {column: cell}) for each row that is not blank."""
    size = source.path.stat().st_size
    if size == 0:
        raise refused(0, None, "the file is empty")
    if size > source.max_bytes:
        limit = source.max_bytes // (1024 * 1024)
        raise refused(0, None, f"the file has {size:,} bytes, more than the {limit} MB allowed")
    table = _xlsx_rows(source) if source.is_xlsx else _csv_rows(source)
    header = next(table, None)
    if header is None:
        raise refused(0, None, "the file is empty")
    names = header_names(header[1])
    check_header(names, columns)
    for number, cells in table:
        if len(cells) > len(names) and any(text(c) for c in cells[len(names) :]):
            raise refused(number, None, f"{len(cells)} cells, but the header names {len(names)}")
        row = {name: cell for name, cell in zip(names, cells, strict=False) if name}
        if any(text(value) for value in row.values()):
            yield number, row


class Formula(str):
    """A formula cell's text (read with data_only=False): what a spreadsheet last computed from
    it is not something to import on trust. Text that merely starts with "=" is no formula."""


def _value(cell: Any) -> object:
    value = cell.value
    return Formula(value) if getattr(cell, "data_type", None) == "f" else value


def formula_cells(number: int, row: dict[str, object]) -> list[RowError]:
    """The row's formula cells, each refused: a row is checked only once it holds values."""
    return [
        RowError(row=number, column=name, message=f"a formula ({value}): paste the values instead")
        for name, value in row.items()
        if isinstance(value, Formula)
    ]


def _csv_rows(source: ImportFile) -> Iterator[tuple[int, list[object]]]:
    with source.path.open("rb") as raw:
        encoding = source.encoding or detect_encoding(raw.read(SAMPLE_BYTES))
        raw.seek(0)
        if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
            encoding = "utf-8-sig"  # the BOM Excel writes is not part of the first column's name
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise refused(0, None, f"unknown encoding {encoding!r}") from exc
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        # Line by line, so a byte that is not of the encoding is named by its row: no encoding
        # read here uses the newline byte inside a character.
        lines = (decoder.decode(line) for line in raw)
        reader = csv.reader(lines)
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, [_unquoted(cell) for cell in cells]
        except UnicodeDecodeError as exc:
            message = (
                f"is not {encoding} text ({exc.reason}); save the file as UTF-8 "
                "or name its encoding (--encoding gb18030 or big5)"
            )
            raise refused(number + 1, None, message) from exc
        except csv.Error as exc:
            raise refused(number + 1, None, f"not a CSV row: {exc}") from exc


def _unquoted(cell: str) -> str:
    """The quote o2c's own CSV export (and Excel) puts before text that would run as a formula."""
    return cell[1:] if cell.startswith("'") and formula_like(cell[1:]) else cell


def _xlsx_rows(source: ImportFile) -> Iterator[tuple[int, list[object]]]:
    book = _workbook(source.path)
    try:
        sheet = book[source.sheet] if source.sheet else book.worksheets[0]
        merged = _merged_ranges(source.path, sheet._worksheet_path)  # type: ignore[union-attr]
        if merged:
            first = merged[0]
            row = int(re.sub(r"[A-Z]", "", first.split(":")[0]))
            message = f"merged cells ({', '.join(merged[:5])}): unmerge them and fill every cell"
            raise refused(row, None, message)
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [_value(cell) for cell in cells]
    finally:
        book.close()


def _workbook(path: Path) -> Any:
    try:
        return load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise refused(0, None, f"not a readable .xlsx file: {exc}") from exc


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheets, in its order."""
    book = _workbook(path)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _merged_ranges(path: Path, sheet_xml: str) -> list[str]:
    """openpyxl's read-only sheets do not say which cells are merged: the sheet's XML does (its
    <mergeCells> come after the data), read in chunks."""
    found: dict[str, None] = {}  # a merge the chunk boundary shows twice counts once
    try:
        with zipfile.ZipFile(path) as archive, archive.open(sheet_xml) as xml:
            tail = b""
            for chunk in iter(lambda: xml.read(1024 * 1024), b""):
                block = tail + chunk
                found.update((m.decode(), None) for m in MERGE.findall(block))
                tail = block[-200:]
    except (zipfile.BadZipFile, KeyError) as exc:
        raise refused(0, None, f"not a readable .xlsx file: {exc}") from exc
    return list(found)
