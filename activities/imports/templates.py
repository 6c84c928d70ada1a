"""The downloadable template of each kind: a header row, one example row, and a second sheet
with the rule of each column; for `all`, a workbook with a sheet per kind (in the order they
are written) and the rules of every sheet's columns."""

from __future__ import annotations

from models.imports.kinds import COLUMNS, WRITE_ORDER, ImportKind, JobKind
from notifications.tables import to_xlsx


def template_xlsx(kind: JobKind | ImportKind) -> bytes:
    kinds = WRITE_ORDER if kind == JobKind.ALL else (ImportKind(kind),)
    sheets = [
        (each.value, [c.name for c in COLUMNS[each]], [[c.example for c in COLUMNS[each]]])
        for each in kinds
    ]
    rules = [
        [*([each.value] if len(kinds) > 1 else []), c.name]
        + ["required" if c.required else "optional", c.rule]
        for each in kinds
        for c in COLUMNS[each]
    ]
    header = [*(["sheet"] if len(kinds) > 1 else []), "column", "required", "rule"]
    return to_xlsx([*sheets, ("rules", header, rules)])
