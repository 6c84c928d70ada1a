"""Turns domain errors and Temporal's answers into the API's `{"detail": ...}` error bodies."""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.duty_refusals import record_refusal
from api.temporal_link import TemporalUnavailable
from models.errors import ERROR_KINDS, Conflict, O2CError

# A workflow refuses an Update with a domain error kind's name (models.errors): same status.
UPDATE_STATUS = {kind.__name__: kind.status_code for kind in ERROR_KINDS}
# An action whose workflow Temporal does not know (finished, or not started yet): too late or too
# early, a conflict with the state, not an outage.
NOTHING_WAITING = (
    "nothing is waiting for this action: its workflow has finished or has not started yet"
)


def update_error_response(exc: WorkflowUpdateFailedError) -> JSONResponse:
    cause = exc.cause
    if isinstance(cause, ApplicationError):
        return JSONResponse(
            {"detail": cause.message},
            status_code=UPDATE_STATUS.get(cause.type or "", Conflict.status_code),
        )
    return JSONResponse({"detail": str(cause or exc)}, status_code=Conflict.status_code)


def renderable(value: Any) -> Any:
    """Echoed input made safe for a JSON body: infinity and NaN are not JSON, and a lone
    surrogate is not UTF-8; either would turn the 422 into a 500."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {renderable(key): renderable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [renderable(item) for item in value]
    return value


def _secret(key: object) -> bool:
    return isinstance(key, str) and "password" in key.lower()


def without_secrets(value: Any) -> Any:
    """A submitted body as a 422 may echo it, with every password field left out."""
    if isinstance(value, dict):
        return {key: without_secrets(item) for key, item in value.items() if not _secret(key)}
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


def echoed(error: dict[str, Any]) -> dict[str, Any]:
    """One validation error as the client sees it: a password is never echoed back (it would
    end up in logs and proxies), whether it is the field at fault or beside it."""
    if any(_secret(part) for part in error.get("loc", ())):
        return {key: item for key, item in error.items() if key != "input"}
    if "input" in error:
        return {**error, "input": without_secrets(error["input"])}
    return error


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = renderable(jsonable_encoder([echoed(error) for error in exc.errors()]))
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(O2CError)
    async def domain_error(request: Request, exc: O2CError) -> JSONResponse:
        await record_refusal(request, exc)
        body: dict[str, object] = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return JSONResponse(body, status_code=exc.status_code)

    @app.exception_handler(WorkflowUpdateFailedError)
    async def update_failed(request: Request, exc: WorkflowUpdateFailedError) -> JSONResponse:
        await record_refusal(request, exc)
        return update_error_response(exc)

    @app.exception_handler(TemporalUnavailable)
    async def temporal_not_connected(_: Request, exc: TemporalUnavailable) -> JSONResponse:
        return JSONResponse(
            {"detail": "the workflow service did not answer; nothing was changed, try again"},
            status_code=503,
        )

    @app.exception_handler(RPCError)
    async def temporal_unreachable(_: Request, exc: RPCError) -> JSONResponse:
        if exc.status == RPCStatusCode.NOT_FOUND:
            # Temporal answered: no workflow is running for it (finished, or not started yet).
            return JSONResponse({"detail": NOTHING_WAITING}, status_code=409)
        return JSONResponse(
            {"detail": f"the workflow service did not answer: {exc.message}"}, status_code=503
        )
