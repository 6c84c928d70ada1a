"""What every kind's row check shares: the filled cells of a row, each cell read by its column's
parser, and a pydantic model built from them, every refusal named by row and column."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from models.imports.cells import CellError, text
from models.imports.jobs import RowError

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class RowRefused(Exception):
    """A row with one or more bad cells."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def filled(row: Mapping[str, object]) -> dict[str, object]:
    """The row's cells that hold something (a blank cell means: the default, or keep)."""
    return {name: value for name, value in row.items() if text(value)}


def read_cells(
    number: int,
    cells: Mapping[str, object],
    parsers: Mapping[str, Callable[[object], Any]],
    errors: list[RowError],
) -> dict[str, Any]:
    """Each filled cell through its column's parser (plain text for the others)."""
    values: dict[str, Any] = {}
    for name, value in cells.items():
        parser = parsers.get(name, text)
        try:
            values[name] = parser(value)
        except CellError as exc:
            errors.append(RowError(row=number, column=name, message=str(exc)))
    return values


def referenced(
    number: int,
    cells: Mapping[str, object],
    column: str,
    known: Mapping[str, T],
    missing: str,
    errors: list[RowError],
) -> T | None:
    """What the cell's code (read upper case) names, or None; a code that names nothing is the
    row's error `missing` (with {code} for the code)."""
    code = text(cells.get(column)).upper()
    found = known.get(code)
    if code and found is None:
        errors.append(RowError(row=number, column=column, message=missing.format(code=code)))
    return found


def build(model: type[M], number: int, values: dict[str, Any], errors: list[RowError]) -> M:
    """The model from the cells read, or RowRefused with every cell error and model error."""
    try:
        built = model.model_validate(values)
    except ValidationError as exc:
        refused = {error.column for error in errors}
        for error in exc.errors():
            column = str(error["loc"][0]) if error["loc"] else None
            if column in refused:
                continue  # its cell was refused already, saying why
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "missing":
                message = "required: the cell is empty"
            errors.append(RowError(row=number, column=column, message=message))
        raise RowRefused(errors) from None
    if errors:
        raise RowRefused(errors)
    return built


def refuse(number: int, column: str, message: str) -> RowRefused:
    return RowRefused([RowError(row=number, column=column, message=message)])


def changed_fields(found: object, row: BaseModel, fields: frozenset[str]) -> dict[str, Any]:
    """The row's values that differ from the stored record's, of the fields the file gave."""
    return {
        name: getattr(row, name)
        for name in sorted(fields)
        if getattr(row, name) != getattr(found, name)
    }
