"""Is the service well: can it reach its database and Temporal?"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlmodel import Session

from api.deps import DatabaseDep, TemporalLinkDep

router = APIRouter(tags=["operations"])


def _database_ok(session: Session) -> str:
    session.execute(text("SELECT 1"))
    return "ok"


@router.get("/health")
async def health(db: DatabaseDep, temporal: TemporalLinkDep) -> JSONResponse:
    checks: dict[str, str] = {}
    try:
        checks["database"] = await db.run(_database_ok)
    except Exception as exc:
        checks["database"] = f"unreachable: {exc.__class__.__name__}"
    try:
        client = await asyncio.wait_for(temporal.get(), timeout=5)
        await asyncio.wait_for(client.service_client.check_health(), timeout=5)
        checks["temporal"] = "ok"
    except Exception as exc:
        checks["temporal"] = f"unreachable: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if healthy else "degraded", **checks}
    return JSONResponse(body, status_code=200 if healthy else 503)
