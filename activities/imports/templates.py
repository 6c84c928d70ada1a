"""The downloadable template of each kind: a header row, one example row, and a second sheet
with the rule of each column."""

from __future__ import annotations

from models.imports.kinds import COLUMNS, ImportKind
from notifications.tables import to_xlsx


def template_xlsx(kind: ImportKind) -> bytes:
    columns = COLUMNS[kind]
    rules = [(c.name, "required" if c.required else "optional", c.rule) for c in columns]
    return to_xlsx(
        [
            (kind.value, [c.name for c in columns], [[c.example for c in columns]]),
            ("rules", ["column", "required", "rule"], rules),
        ]
    )
