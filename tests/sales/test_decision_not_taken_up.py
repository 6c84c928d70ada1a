"""A decision its order's workflow does not take up in time (its worker busy or away) answers 503
saying the order may still take it, instead of a 500 (seen under 50 concurrent clients)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from temporalio.testing import WorkflowEnvironment

from api.routes.sales import orders as order_routes
from models.security.users import Role
from tests import factories
from tests.support.api_client import api_client
from tests.support.settings import make_settings


async def test_an_approval_no_worker_takes_up_answers_503(
    sqlite_engine: Engine,
    dev_server_env: WorkflowEnvironment,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(order_routes, "UPDATE_TIMEOUT", timedelta(seconds=1))
    factories.one_user_per_role(sqlite_engine)
    settings = make_settings(tmp_path, task_queue="nobody-polls-this")
    async with api_client(sqlite_engine, settings, dev_server_env.client) as api:
        customer = await factories.posted_customer(api)
        await factories.posted_product(api)
        await factories.posted_receipt(api, "WIDGET", "10")
        body = {"customer_id": customer["id"], "lines": [{"sku": "WIDGET", "quantity": "1"}]}
        order = (await api.post("/orders", Role.SALES, body, expect=201)).json()

        answer = await api.post(f"/orders/{order['id']}/approve", Role.APPROVER, {})

    assert answer.status_code == 503, answer.text
    assert answer.json()["detail"] == order_routes.UPDATE_NOT_ANSWERED
