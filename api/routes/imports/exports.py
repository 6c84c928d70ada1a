"""Exports of the importable kinds, in the files their import reads."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from activities.imports.exports import export_file
from api.deps import DatabaseDep, reader
from api.downloads import download
from models.imports.kinds import ImportKind
from models.security.users import Role
from notifications.tables import CSV, XLSX

router = APIRouter(prefix="/exports", tags=["imports"])


@router.get("/{kind}", dependencies=[reader(Role.FINANCE)])
async def export(
    kind: ImportKind,
    db: DatabaseDep,
    file_format: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
) -> Response:
    content = await db.run(export_file, kind, file_format)
    media_type = XLSX if file_format == "xlsx" else CSV
    return download(content, media_type, f"o2c-{kind.value}.{file_format}")
