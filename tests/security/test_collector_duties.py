"""A collector records outcomes only on the tasks assigned to them, tried through the API
and through the worklist page; either refusal is kept in the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from activities.collection.tasks import open_task
from activities.transaction import run_command
from models.collection.messages import OpenTaskInput, TaskState
from models.collection.tasks import CollectionOutcome
from o2c.settings import Settings
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.audit import duty_refusals
from tests.support.database import rows
from tests.support.workflows import Flow
from tests.workspace.pages import Person


def carols_open_task(engine: Engine) -> TaskState:
    """An open task on an invoice of a customer Carol collects from."""
    customer = factories.customer(engine, collector="carol")
    issued = factories.invoice(engine, customer.id)
    opened = OpenTaskInput(invoice_id=issued.id, level=2, at=datetime.now(UTC))
    task = run_command(engine, open_task, opened)
    assert task.assignee == "carol"
    return task


async def test_a_collector_may_not_log_an_outcome_on_a_colleagues_task(
    live_api: ApiClient, sqlite_engine: Engine
) -> None:
    factories.staff(sqlite_engine, factories.COLLECTIONS_TEAM)
    task = carols_open_task(sqlite_engine)

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


async def test_the_refusal_from_the_worklist_page_is_in_the_trail_too(
    flow: Flow, sqlite_engine: Engine, worker_settings: Settings
) -> None:
    factories.staff(sqlite_engine, factories.COLLECTIONS_TEAM)
    task = carols_open_task(sqlite_engine)
    settings = worker_settings.model_copy(update={"secure_cookies": False})
    colin = Person(sqlite_engine, settings, flow.env.client)
    await colin.log_in("colin")
    page = await colin.open("/app/worklist")
    action = f"/app/worklist/{task.task_id}/outcome"

    refused = await colin.submit(page, action, outcome="contacted", note="called them")
    await colin.aclose()

    rule = f"collection task {task.task_id} is assigned to carol"
    assert rule in refused.text
    assert rows(sqlite_engine, CollectionOutcome) == 0
    assert duty_refusals(sqlite_engine) == [("colin", action, rule)]
