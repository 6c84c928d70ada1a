"""Every route of the OpenAPI document, called with an id beyond 64 bits in each path
parameter, answers a 4xx: no id reaches the database unchecked. Temporal answers (a test
server), as it does in production, so routes that send workflow messages are walked too."""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine
from temporalio.testing import WorkflowEnvironment

from api.security import issue_token
from models.security.users import Role
from o2c.settings import Settings
from tests import factories
from tests.support.api_client import ApiClient, api_client, bearer

BEYOND_64_BITS = str(2**64)
METHODS = ("get", "post", "put", "patch", "delete")


async def test_no_route_answers_5xx_to_an_id_beyond_64_bits(
    engine: Engine, settings: Settings, time_skipping_env: WorkflowEnvironment
) -> None:
    factories.one_user_per_role(engine)
    async with api_client(engine, settings, time_skipping_env.client) as api:
        answers = await walk_every_route(api)

    assert len(answers) > 40
    assert {route: status for route, status in answers.items() if status >= 500} == {}


async def walk_every_route(api: ApiClient) -> dict[str, int]:
    """Each operation with a path parameter, called by a user with every role: its status."""
    everyone = bearer(issue_token(api.settings, "admin", [role.value for role in Role]))
    document = (await api.http.get("/../../openapi.json")).json()
    answers: dict[str, int] = {}

    for template, operations in document["paths"].items():
        if "{" not in template or not template.startswith("/api/v1"):
            continue
        path = re.sub(r"\{[^}]+\}", BEYOND_64_BITS, template).removeprefix("/api/v1")
        for method in METHODS:
            if method in operations:
                response = await api.http.request(method, path, headers=everyone, json={})
                answers[f"{method.upper()} {template}"] = response.status_code
    return answers
