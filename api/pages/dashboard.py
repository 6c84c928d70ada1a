"""The home page: KPI tiles and charts, each for the roles that may read the API report behind
it, every chart with its numbers as a table and as an .xlsx download."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response
from fastapi.responses import HTMLResponse

from activities.reports.files import FileFormat, table_file
from api.deps import DatabaseDep
from api.downloads import download
from api.pages.access import DASHBOARD, PageForbidden, page_user
from api.pages.dashboard_charts import charts
from api.pages.dashboard_figures import EVERYTHING, TILES, read_figures
from api.pages.dashboard_tiles import tiles
from api.pages.i18n import N_, known, translations
from api.pages.screens import Screen, screen_of
from models.security.users import User

router = APIRouter()
CHARTS = EVERYTHING - {TILES}


@router.get("", response_class=HTMLResponse)
async def dashboard(
    db: DatabaseDep, screen: Annotated[Screen, Depends(screen_of(DASHBOARD))]
) -> HTMLResponse:
    figures = await db.run(read_figures, screen.user, date.today())
    _ = translations(known(screen.user.language)).gettext
    drawn = charts(figures, _)
    return screen.show("app/dashboard.html", {"tiles": tiles(figures, _), "charts": drawn})


@router.get("/dashboard/{chart}.xlsx")
async def chart_workbook(
    chart: str, db: DatabaseDep, user: Annotated[User, Depends(page_user(DASHBOARD))]
) -> Response:
    """The numbers of one chart as a workbook, headed in the reader's language."""
    if chart not in CHARTS:
        raise HTTPException(404, detail="no such chart")
    today = date.today()
    figures = await db.run(read_figures, user, today, frozenset({chart}))
    drawn = [c for c in charts(figures, translations(known(user.language)).gettext)]
    found = next((c for c in drawn if c.key == chart), None)
    if found is None:
        raise PageForbidden(N_("This page is not open to your roles."))
    file = table_file(f"{chart}-{today}", FileFormat.XLSX, found.header, found.rows)
    return download(file.content, file.media_type, file.filename)
