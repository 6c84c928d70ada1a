"""Use cases of one business area import other areas' use cases one way only: downstream areas
call upstream ones, and where an upstream area needs downstream data the caller passes it in."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Upstream first: an area may import the areas listed before it, never those after.
AREAS = [
    "security",
    "master_data",
    "sales",
    "fulfilment",
    "receivables",
    "collection",
    "credit",
    "documents",
    "reports",
    "imports",
]


def imported_areas(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "activities" and len(parts) > 1 and parts[1] in AREAS:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("area", AREAS)
def test_an_area_uses_only_the_areas_upstream_of_it(area: str) -> None:
    allowed = set(AREAS[: AREAS.index(area) + 1])
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_areas(path) - allowed)
        for path in sorted((ROOT / "activities" / area).glob("*.py"))
        if imported_areas(path) - allowed
    }
    assert wrong == {}
