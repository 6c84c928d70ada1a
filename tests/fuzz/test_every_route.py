"""Every route of the OpenAPI document, with requests schemathesis draws from it (valid and
malformed), sent as each role on SQLite and PostgreSQL: no answer is a server error, and a
request the API refuses writes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from temporalio.testing import WorkflowEnvironment

from api.main import create_app
from api.security import issue_token
from models.security.users import Role
from o2c.settings import Settings
from o2c.worker import build_worker
from tests import factories
from tests.fuzz.cases import Request, requests_of
from tests.fuzz.footprint import changed, footprint
from tests.support.api_client import bearer
from tests.support.settings import make_settings

PER_MODE = 3  # requests of each kind (valid, malformed) per operation and role


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """One of everything the routes' ids can name: a customer, a product in stock, an order, an
    invoice and a payment, each with id 1."""
    factories.one_user_per_role(engine)
    factories.product(engine, stock=10)
    buyer = factories.customer(engine)
    factories.order(engine, buyer.id, quantity=1)
    factories.invoice(engine, buyer.id)
    factories.payment(engine, buyer.id, "10.00")
    return engine


@pytest.fixture(scope="session")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> list[Request]:
    """The same requests for both databases: drawing them is the slow part."""
    settings = make_settings(tmp_path_factory.mktemp("schema"))
    return requests_of(create_app(settings, create_engine("sqlite://"), None), PER_MODE)


def sent_as(role: Role, drawn: list[Request]) -> list[Request]:
    """Admin, who may call everything, sends them all; every other role one valid request per
    operation, enough to show its refusals (403) are clean."""
    if role is Role.ADMIN:
        return drawn
    first: dict[str, Request] = {}
    for request in drawn:
        if request.valid:
            first.setdefault(request.operation, request)
    return list(first.values())


async def test_no_route_answers_a_server_error_or_writes_when_it_refuses(
    seeded: Engine,
    worker_settings: Settings,
    time_skipping_env: WorkflowEnvironment,
    drawn: list[Request],
) -> None:
    settings = worker_settings
    client = time_skipping_env.client
    async with build_worker(client, seeded, settings):
        failures = await send_all(create_app(settings, seeded, client), settings, seeded, drawn)
    assert not failures, "\n".join(failures[:20]) + f"\n({len(failures)} in all)"


async def send_all(
    app: FastAPI, settings: Settings, seeded: Engine, drawn: list[Request]
) -> list[str]:
    failures: list[str] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://o2c.test") as http:
        for role in Role:
            token = bearer(issue_token(settings, role.value, [role.value]))
            for request in sent_as(role, drawn):
                kwargs = {**request.kwargs, "headers": {**request.kwargs["headers"], **token}}
                before = footprint(seeded) if request.writes else {}
                answer = await http.request(**kwargs)
                refused = 400 <= answer.status_code < 500
                if answer.status_code >= 500:
                    failures.append(f"{role} {request.operation}: {_shown(answer, kwargs)}")
                elif refused and request.writes and (written := changed(before, footprint(seeded))):
                    failures.append(f"{role} {request.operation} refused but wrote {written}")
    return failures


def _shown(answer: httpx.Response, sent: dict[str, Any]) -> str:
    body = {k: sent[k] for k in ("params", "json", "data") if sent.get(k)}
    return f"{answer.status_code} {answer.text[:160]!r} <- {sent['url']} {body!r:.300}"
