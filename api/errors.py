"""Turns domain errors and Temporal's answers into the API's `{"detail": ...}` error bodies."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from models.errors import O2CError

UPDATE_STATUS = {"Conflict": 409, "InvalidInput": 422, "Forbidden": 403, "NotFound": 404}


def update_error_response(exc: WorkflowUpdateFailedError) -> JSONResponse:
    cause = exc.cause
    if isinstance(cause, ApplicationError):
        return JSONResponse(
            {"detail": cause.message}, status_code=UPDATE_STATUS.get(cause.type or "", 409)
        )
    return JSONResponse({"detail": str(cause or exc)}, status_code=409)


def install(app: FastAPI) -> None:
    @app.exception_handler(O2CError)
    async def domain_error(_: Request, exc: O2CError) -> JSONResponse:
        body: dict[str, object] = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return JSONResponse(body, status_code=exc.status_code)

    @app.exception_handler(WorkflowUpdateFailedError)
    async def update_failed(_: Request, exc: WorkflowUpdateFailedError) -> JSONResponse:
        return update_error_response(exc)

    @app.exception_handler(RPCError)
    async def temporal_unreachable(_: Request, exc: RPCError) -> JSONResponse:
        return JSONResponse(
            {"detail": f"the workflow service did not answer: {exc.message}"}, status_code=503
        )
