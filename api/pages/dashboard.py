"""The home page: KPI tiles and charts, each for the roles that may read the API report behind
it, every chart with its numbers as a table and as an .xlsx download."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import HTMLResponse

from activities.reports.files import FileFormat, table_file
from api.downloads import download
from api.pages.access import DASHBOARD, PageDatabase, PageForbidden, page_user
from api.pages.dashboard_cache import figures_cache
from api.pages.dashboard_charts import charts
from api.pages.dashboard_figures import EVERYTHING, TILES
from api.pages.dashboard_tiles import tiles
from api.pages.i18n import N_, known, translations
from api.pages.screens import Screen, screen_of
from models.security.users import User

router = APIRouter()
CHARTS = EVERYTHING - {TILES}


@router.get("", response_class=HTMLResponse)
async def dashboard(
    db: PageDatabase, screen: Annotated[Screen, Depends(screen_of(DASHBOARD))]
) -> HTMLResponse:
    cache = figures_cache(screen.request.app)
    reading = await cache.read(db, screen.user, date.today(), EVERYTHING)
    _ = translations(known(screen.user.language)).gettext
    figures = reading.figures
    context = {
        "tiles": tiles(figures, _),
        "charts": charts(figures, _),
        "read_at": f"{reading.read_at:%H:%M:%S} UTC",
    }
    return screen.show("app/dashboard.html", context)


@router.get("/dashboard/{chart}.xlsx")
async def chart_workbook(
    chart: str,
    request: Request,
    db: PageDatabase,
    user: Annotated[User, Depends(page_user(DASHBOARD))],
) -> Response:
    """The numbers of one chart as a workbook, headed in the reader's language: the numbers the
    page shows, when it read them a moment ago."""
    if chart not in CHARTS:
        raise HTTPException(404, detail="no such chart")
    today = date.today()
    reading = await figures_cache(request.app).read(db, user, today, frozenset({chart}))
    drawn = [c for c in charts(reading.figures, translations(known(user.language)).gettext)]
    found = next((c for c in drawn if c.key == chart), None)
    if found is None:
        raise PageForbidden(N_("This page is not open to your roles."))
    file = table_file(f"{chart}-{today}", FileFormat.XLSX, found.header, found.rows)
    return download(file.content, file.media_type, file.filename)
