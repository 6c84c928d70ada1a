"""GET /health: can the service reach its database and Temporal?"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from temporalio.testing import WorkflowEnvironment

from models.security.users import Role
from o2c.settings import Settings
from tests import factories
from tests.support.api_client import ApiClient, api_client


async def test_health_is_503_degraded_when_temporal_is_unreachable(api: ApiClient) -> None:
    response = await api.http.get("/health")  # no token: monitors do not log in

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["temporal"].startswith("unreachable")


async def test_health_is_ok_when_database_and_temporal_answer(
    engine: Engine, settings: Settings, time_skipping_env: WorkflowEnvironment
) -> None:
    async with api_client(engine, settings, time_skipping_env.client) as api:
        response = await api.http.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "temporal": "ok"}


async def test_an_action_that_needs_temporal_answers_503_while_it_is_unreachable(
    api: ApiClient, engine: Engine
) -> None:
    """Approving talks to the order's workflow; with Temporal down the approver is told to try
    again, never shown a 500, and the order is left as it was."""
    order = factories.widget_order(engine)

    response = await api.post(f"/orders/{order.id}/approve", Role.APPROVER, {})

    assert response.status_code == 503, response.text
    assert "workflow service" in response.json()["detail"]
    assert (await api.get(f"/orders/{order.id}"))["status"] == order.status
