"""Requests drawn from the API's own OpenAPI document by schemathesis: for each operation, a
fixed (derandomised) sample of valid and of malformed requests, the same on every run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode


@dataclass(frozen=True)
class Request:
    operation: str  # "POST /api/v1/payments"
    valid: bool  # drawn from the schema as it is, or made to break it
    kwargs: dict[str, Any]  # for httpx's request(): method, url, params, headers, json...

    @property
    def writes(self) -> bool:
        return self.kwargs["method"] not in ("GET", "HEAD")


def requests_of(app: FastAPI, per_mode: int) -> list[Request]:
    """`per_mode` valid and `per_mode` malformed requests for every operation of `app`."""
    schema = schemathesis.openapi.from_dict(app.openapi())
    drawn: list[Request] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            drawn += _sample(operation, mode, per_mode)
    return drawn


def _sample(operation: Any, mode: GenerationMode, count: int) -> list[Request]:
    name = f"{operation.method.upper()} {operation.path}"
    found: list[Request] = []

    @given(operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def collect(case: Any) -> None:
        kwargs = case.as_transport_kwargs(base_url="http://o2c.test")
        kwargs["headers"] = {
            k: v for k, v in kwargs["headers"].items() if k.lower() not in DROPPED_HEADERS
        }
        kwargs.pop("cookies", None)
        found.append(Request(name, mode is GenerationMode.POSITIVE, kwargs))

    try:
        collect()
    except Unsatisfiable:  # nothing to break in an operation without input
        if mode is GenerationMode.POSITIVE:
            raise
    return found[:count]


DROPPED_HEADERS = {"connection", "accept-encoding", "x-schemathesis-testcaseid", "user-agent"}
