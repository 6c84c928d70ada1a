"""Master-data rows written: a row whose key is new is created, one whose key exists updates
what the file gives and differs, and the change is reported by key and field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from activities.imports.kind import Written
from activities.imports.row_checks import changed_fields

R = TypeVar("R", bound=BaseModel)


def create_or_update(
    batch: list[tuple[R, frozenset[str]]],
    existing: Mapping[str, Any],
    key_of: Callable[[R], str],
    create: Callable[[R], object],
    update: Callable[[int, dict[str, Any]], object],
    updatable: frozenset[str],
) -> Written:
    written = Written()
    for row, given in batch:
        key = key_of(row)
        found = existing.get(key)
        if found is None:
            create(row)
            written.created += 1
            continue
        changed = changed_fields(found, row, given & updatable)
        if not changed:
            written.unchanged += 1
            continue
        update(found.id or 0, changed)
        written.updated += 1
        written.changes.append({"key": key, "changed": sorted(changed)})
    return written
