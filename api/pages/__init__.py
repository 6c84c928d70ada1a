"""The people's web pages under /app: one module per page group, drawn from api/templates/app
in the reader's language; htmx and ECharts are served from api/static."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.pages import (
    credit_holds,
    credit_policies,
    credit_releases,
    credit_reports,
    credit_reports_groups,
    credit_review_answers,
    credit_reviews,
    credit_rules,
    credit_scorecards,
    customers,
    customers_credit,
    customers_form,
    dashboard,
    finance_credit,
    finance_credit_notes,
    finance_payments,
    finance_reports,
    finance_write_offs,
    inbox,
    language,
    login,
    orders,
    orders_changes,
    orders_entry,
    products,
    products_form,
    refusals,
    warehouse,
    warehouse_actions,
    worklist,
)
from api.pages.dashboard_cache import warm_on_start

STATIC = Path(__file__).parent.parent / "static"
PAGE_GROUPS = (
    login,
    language,
    dashboard,
    inbox,
    worklist,  # the busiest pages first: each request is matched against them in this order
    orders_entry,  # before orders: /orders/new is not an order's id
    orders,
    orders_changes,
    credit_holds,
    credit_releases,
    credit_reviews,
    credit_review_answers,
    credit_policies,
    credit_reports,
    credit_reports_groups,
    credit_scorecards,
    credit_rules,
    customers,
    customers_credit,
    customers_form,
    products,
    products_form,
    warehouse,
    warehouse_actions,
    finance_payments,
    finance_credit,
    finance_credit_notes,
    finance_write_offs,
    finance_reports,
)


def install(app: FastAPI) -> None:
    for module in PAGE_GROUPS:
        app.include_router(module.router, prefix="/app", tags=["pages"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    refusals.install(app)
    warm_on_start(app)
