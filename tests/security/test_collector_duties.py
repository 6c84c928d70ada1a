"""A collector records outcomes only on the tasks assigned to them, tried through the API."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from activities.collection.tasks import open_task
from activities.transaction import run_command
from models.collection.messages import OpenTaskInput
from models.collection.tasks import CollectionOutcome
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.audit import duty_refusals
from tests.support.database import rows


async def test_a_collector_may_not_log_an_outcome_on_a_colleagues_task(
    live_api: ApiClient, sqlite_engine: Engine
) -> None:
    factories.staff(sqlite_engine, factories.COLLECTIONS_TEAM)
    customer = factories.customer(sqlite_engine, collector="carol")
    issued = factories.invoice(sqlite_engine, customer.id)
    opened = OpenTaskInput(invoice_id=issued.id, level=2, at=datetime.now(UTC))
    task = run_command(sqlite_engine, open_task, opened)
    assert task.assignee == "carol"

    refused = await live_api.post(
        f"/collection-tasks/{task.task_id}/outcome",
        "colin",
        {"outcome": "contacted", "note": "called them"},
    )

    assert refused.status_code == 403, refused.text
    assert refused.json()["detail"] == f"collection task {task.task_id} is assigned to carol"
    assert rows(sqlite_engine, CollectionOutcome) == 0
    outcome = f"/api/v1/collection-tasks/{task.task_id}/outcome"
    assert duty_refusals(sqlite_engine) == [("colin", outcome, refused.json()["detail"])]
    seen = await live_api.get(f"/collection-tasks/{task.task_id}", "colin")
    assert (seen["assignee"], seen["last_outcome"]) == ("carol", None)
