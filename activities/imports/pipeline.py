"""The import's two passes, streamed: first every row of the file is checked (types, references,
duplicates in the file) and every bad row listed, the checked rows kept aside (spill.py); only
a file without a bad row is written, from those rows, in batches inside one transaction, so a
failure leaves nothing behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.imports.earlier import Earlier
from activities.imports.kind import KindImport, WriteContext, Written
from activities.imports.progress import Progress
from activities.imports.reading import ImportFile, formula_cells, rows
from activities.imports.row_checks import RowRefused
from activities.imports.spill import BATCH, CheckedRows
from models.imports.jobs import ERRORS_KEPT, RowError


@dataclass
class Checked:
    rows: int = 0
    invalid: int = 0
    errors: list[RowError] = field(default_factory=list)

    def refuse(self, errors: list[RowError]) -> None:
        self.invalid += 1
        self.errors.extend(errors[: max(0, ERRORS_KEPT - len(self.errors))])


def validate(
    engine: Engine,
    source: ImportFile,
    kind: KindImport,
    progress: Progress,
    keep: Callable[[Any], None] | None = None,
    earlier: Earlier | None = None,
) -> Checked:
    """Every row checked, each good one handed to `keep`; references resolve against the
    database and what `earlier` sheets of the same upload bring. FileRefused (from reading)
    when the file is no table at all."""
    with Session(engine) as session:
        kind.prepare(session)
    if earlier is not None:
        kind.include(earlier)
    checked = Checked()
    first_seen: dict[str, int] = {}
    for number, row in rows(source, kind.columns):
        checked.rows += 1
        progress.advance()
        formulas = formula_cells(number, row)
        if formulas:
            checked.refuse(formulas)
            continue
        try:
            good = kind.check(number, row)
            key = kind.key(good)
        except RowRefused as refusal:
            checked.refuse(refusal.errors)
            continue
        if key in first_seen:
            message = f"{key} appears again (first at row {first_seen[key]})"
            column = kind.columns[0].name
            checked.refuse([RowError(row=number, column=column, message=message)])
            continue
        first_seen[key] = number
        if keep is not None:
            keep(good)
    if checked.rows == 0:
        checked.refuse([RowError(row=0, message="the file has a header but no rows")])
    return checked


def batches(source: ImportFile, kind: KindImport) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for number, row in rows(source, kind.columns):
        batch.append(kind.check(number, row))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def write(
    session: Session,
    source: ImportFile | CheckedRows,
    kind: KindImport,
    context: WriteContext,
    progress: Progress,
) -> Written:
    """The checked rows (or the checked file, read and checked again) written in the caller's
    transaction, batch by batch."""
    kind.prepare(session)
    written = Written()
    ready = source.batches() if isinstance(source, CheckedRows) else batches(source, kind)
    for batch in ready:
        written.add(kind.write(session, batch, context))
        session.flush()
        # Written rows leave the session: its identity map, and every later flush's look at
        # what changed, stay the size of one batch, not of the file.
        session.expunge_all()
        progress.advance(len(batch))
    return written
