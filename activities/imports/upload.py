"""What one upload holds: a file of one kind, or (kind `all`) a workbook with a sheet per kind,
each sheet named by its kind (`customers`, `open-invoices`, ...; a `rules` sheet, as the
template has, is left out), read in the order the kinds are written: each after the kinds it
refers to."""

from __future__ import annotations

from dataclasses import dataclass, replace

from activities.imports.reading import FileRefused, ImportFile, refused, sheet_names
from models.imports.jobs import RowError
from models.imports.kinds import WRITE_ORDER, ImportKind, JobKind

KIND_NAMES = ", ".join(kind.value for kind in WRITE_ORDER)
RULES_SHEET = "rules"  # the template's sheet of column rules, left out of the import


@dataclass(frozen=True)
class Part:
    kind: ImportKind
    source: ImportFile
    sheet: str | None  # the workbook's sheet, for the errors; None: a file of one kind

    def located(self, errors: list[RowError]) -> list[RowError]:
        """The errors, each naming this part's sheet."""
        if self.sheet is None:
            return errors
        return [error.model_copy(update={"sheet": self.sheet}) for error in errors]


def sheet_kind(name: str) -> ImportKind | None:
    """The kind a sheet's name says: `Open invoices`, `open_invoices` and `OPEN-INVOICES` alike."""
    wanted = name.strip().lower().replace("_", "-").replace(" ", "-")
    return next((kind for kind in ImportKind if kind.value == wanted), None)


def upload_parts(kind: JobKind, source: ImportFile) -> list[Part]:
    if JobKind(kind) != JobKind.ALL:
        return [Part(ImportKind(kind), source, None)]
    if not source.is_xlsx:
        message = (
            f"an upload of all kinds is an .xlsx workbook with a sheet per kind ({KIND_NAMES})"
        )
        raise refused(0, None, message)
    by_kind: dict[ImportKind, str] = {}
    errors = []
    for name in sheet_names(source.path):
        if name.strip().lower() == RULES_SHEET:
            continue
        found = sheet_kind(name)
        if found is None:
            message = f"is not a kind: name each sheet by its kind ({KIND_NAMES}) or delete it"
            errors.append(RowError(row=0, message=message, sheet=name))
        elif found in by_kind:
            message = f"holds {found.value} like sheet {by_kind[found]}: one sheet per kind"
            errors.append(RowError(row=0, message=message, sheet=name))
        else:
            by_kind[found] = name
    if not by_kind and not errors:
        errors.append(RowError(row=0, message=f"no sheet named by a kind ({KIND_NAMES})"))
    if errors:
        raise FileRefused(errors)
    return [
        Part(kind, replace(source, sheet=by_kind[kind]), by_kind[kind])
        for kind in WRITE_ORDER
        if kind in by_kind
    ]
