"""The people's web pages under /app: one module per page group, drawn from api/templates/app
in the reader's language; htmx and ECharts are served from api/static."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.pages import (
    dashboard,
    finance_credit,
    finance_credit_notes,
    finance_payments,
    finance_reports,
    finance_write_offs,
    inbox,
    language,
    login,
    refusals,
    worklist,
)

STATIC = Path(__file__).parent.parent / "static"


def install(app: FastAPI) -> None:
    pages = (login, language, dashboard, inbox)
    finance = (
        finance_payments,
        finance_credit,
        finance_credit_notes,
        finance_write_offs,
        finance_reports,
    )
    for module in (*pages, *finance, worklist):
        app.include_router(module.router, prefix="/app", tags=["pages"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    refusals.install(app)
