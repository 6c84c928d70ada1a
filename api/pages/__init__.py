"""The people's web pages under /app: one module per page group, drawn from api/templates/app
in the reader's language; htmx and ECharts are served from api/static."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.pages import (
    dashboard,
    inbox,
    language,
    login,
    orders,
    orders_changes,
    orders_entry,
    refusals,
)

STATIC = Path(__file__).parent.parent / "static"


def install(app: FastAPI) -> None:
    # orders_entry before orders: /orders/new is not an order's id.
    for module in (login, language, dashboard, inbox, orders_entry, orders, orders_changes):
        app.include_router(module.router, prefix="/app", tags=["pages"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    refusals.install(app)
