"""The FastAPI application: every router under /api/v1, the web pages under /app (and the dev
mail catcher's at /ui)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import RedirectResponse
from sqlalchemy.engine import Engine
from temporalio.client import Client

from activities.imports.interrupted import fail_interrupted_imports
from api import errors, pages
from api.audit_middleware import AuditContextMiddleware
from api.deps import Database
from api.encoding import utf8_json
from api.idempotency import IdempotencyMiddleware
from api.limits import BodyLimitMiddleware
from api.login_throttle import LoginThrottle
from api.routes import health, ui
from api.routes.collection import dunning_policies, invoice_collection
from api.routes.collection import tasks as collection_tasks
from api.routes.credit import history as credit_history
from api.routes.credit import profiles as credit_profiles
from api.routes.credit import reports as credit_reports
from api.routes.credit import review_rules as credit_review_rules
from api.routes.credit import reviews as credit_reviews
from api.routes.credit import scorecards as credit_scorecards
from api.routes.documents import invoice_pdf as documents
from api.routes.fulfilment import shipments, stock, warehouses
from api.routes.imports import exports, imports
from api.routes.master_data import credit_limit_changes, customers, products
from api.routes.operations import codec, outbox
from api.routes.receivables import (
    credit_notes,
    invoices,
    ledger,
    payments,
    unapplied_credit,
    write_offs,
)
from api.routes.reports import reports, statements
from api.routes.sales import approval_policies, approvals, orders, price_lists
from api.routes.security import audit, auth, users
from api.security_headers import SecurityHeadersMiddleware
from api.temporal_link import TemporalLink
from o2c.db import engine_for
from o2c.settings import Settings, get_settings
from o2c.temporal import connect


def create_app(
    settings: Settings | None = None,
    engine: Engine | None = None,
    temporal: Client | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or engine_for(settings.sqlalchemy_url)

    async def connect_temporal() -> Client:
        return temporal or await connect(settings)

    app = FastAPI(
        title="o2c",
        version="0.1.0",
        description="Order-to-cash: orders, fulfilment, invoicing, receivables and collection.",
        # Production may hide the API's description and its pages (O2C_API_DOCS=false).
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
        openapi_url="/openapi.json" if settings.api_docs else None,
    )
    app.state.settings = settings
    app.state.database = Database(engine)
    fail_interrupted_imports(engine)
    app.state.login_throttle = LoginThrottle(settings)
    app.state.temporal = TemporalLink(connect_temporal, engine, settings.task_queue)
    errors.install(app)
    app.add_middleware(IdempotencyMiddleware, engine=engine, settings=settings)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        larger={"/api/v1/imports": settings.import_max_bytes},
    )
    app.add_middleware(AuditContextMiddleware)
    # Last added, so outermost: refusals of the middlewares inside get the headers too.
    app.add_middleware(SecurityHeadersMiddleware, https=settings.session_cookie_secure)

    # The pages first: a request is matched against the routes in order, and going past the
    # API's ~300 cost a page ~0.7 ms; an API request goes past the pages' fewer.
    pages.install(app)
    v1 = APIRouter(prefix="/api/v1", dependencies=[Depends(utf8_json)])
    for module in (
        auth,
        users,
        audit,
        customers,
        credit_limit_changes,
        credit_history,
        credit_profiles,
        credit_reviews,
        credit_review_rules,
        credit_scorecards,
        unapplied_credit,
        products,
        warehouses,
        stock,
        orders,
        shipments,
        invoices,
        credit_notes,
        write_offs,
        invoice_collection,
        collection_tasks,
        dunning_policies,
        payments,
        ledger,
        documents,
        reports,
        statements,
        credit_reports,
        price_lists,
        approval_policies,
        approvals,
        health,
        outbox,
        codec,
        imports,
        exports,
    ):
        v1.include_router(module.router)
    app.include_router(v1)
    ui.install(app, settings)

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/docs" if settings.api_docs else "/app")

    return app
