"""The collector's worklist over HTTP on a running collection workflow: my open tasks with whom
to call and the SLA; a promise to pay recorded from the task page joins its history, and a
promise the API refuses says why next to the field, keeping what was typed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_datetime
from playwright.async_api import Browser, Page, expect
from sqlalchemy.engine import Engine
from temporalio.client import WorkflowHandle

from api.main import create_app
from models.collection.tasks import CollectionTask
from models.receivables.invoices import InvoicePublic
from o2c.settings import Settings
from tests import factories
from tests.support.clock import moment
from tests.support.collection import invoice_in_collection, task_of
from tests.support.workflows import Flow
from tests.workspace.pages import Person
from tests.workspace.server import served
from tests.workspace.test_browser_journey import (  # noqa: F401 (fixtures)
    CHROMIUM,
    app_settings,
    browser,
)
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow


@pytest.fixture
async def overdue_task(
    flow: Flow, sqlite_engine: Engine
) -> tuple[InvoicePublic, WorkflowHandle[Any, Any], CollectionTask]:
    """Carol's customer ACME owes 1,000.00 USD, 60 days past due: her task is open."""
    factories.staff(sqlite_engine, factories.COLLECTIONS_TEAM)
    invoice, handle = await invoice_in_collection(flow, collector="carol")
    await flow.sleep_until(moment(invoice.due_date, 60))
    task = task_of(sqlite_engine, invoice)
    assert task is not None
    return invoice, handle, task


@pytest.fixture
async def carol(
    flow: Flow, sqlite_engine: Engine, live_settings: Settings
) -> AsyncIterator[Person]:
    someone = Person(sqlite_engine, live_settings, flow.env.client)
    yield someone
    await someone.aclose()


async def test_the_worklist_shows_whom_to_call_and_the_sla(
    overdue_task: tuple[InvoicePublic, WorkflowHandle[Any, Any], CollectionTask], carol: Person
) -> None:
    invoice, handle, task = overdue_task
    await carol.log_in("carol")
    page = await carol.open("/app/worklist")
    assert page.status_code == 200
    assert "ACME Ltd" in page.text and "ap@acme.example" in page.text
    assert invoice.number in page.text and "1,000.00 USD" in page.text
    assert f'href="/app/worklist/{task.id}"' in page.text
    view = await handle.query(InvoiceCollectionWorkflow.collection)
    assert view.sla_due is not None
    assert format_datetime(view.sla_due, format="short", locale="en") in page.text


async def test_a_promise_joins_the_history_and_a_bad_one_says_why(
    flow: Flow,
    overdue_task: tuple[InvoicePublic, WorkflowHandle[Any, Any], CollectionTask],
    carol: Person,
) -> None:
    _, handle, task = overdue_task
    await carol.log_in("carol")
    page = await carol.open(f"/app/worklist/{task.id}")
    assert "Nothing logged yet." in page.text
    action = f"/app/worklist/{task.id}/outcome"

    past = date.today() - timedelta(days=1)
    refused = await carol.submit(
        page,
        action,
        key="promise-1",
        outcome="promise",
        note="AP says next week",
        promised_date=str(past),
        amount="400.00",
    )
    assert f"promised_date {past} is in the past" in refused.text
    field = refused.text.split('name="promised_date"')[1].split("</label>")[0]
    assert "is in the past" in field  # next to the field it concerns
    assert 'value="400.00"' in refused.text and "AP says next week" in refused.text
    assert "Nothing logged yet." in refused.text

    promised = await flow.today() + timedelta(days=5)
    kept = await carol.submit(
        page,
        action,
        key="promise-2",
        outcome="promise",
        note="AP will pay",
        promised_date=str(promised),
        amount="400.00",
    )
    assert "Promise to pay" in kept.text and "400.00 USD" in kept.text
    assert "AP will pay" in kept.text and "carol" in kept.text
    assert (await handle.query(InvoiceCollectionWorkflow.collection)).paused_by == "promise"
    again = await carol.open(f"/app/worklist/{task.id}")
    assert 'data-outcome="promise"' in again.text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium")
async def test_a_collector_records_a_promise_to_pay_in_the_browser(
    flow: Flow,
    overdue_task: tuple[InvoicePublic, WorkflowHandle[Any, Any], CollectionTask],
    sqlite_engine: Engine,
    app_settings: Settings,  # noqa: F811
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    invoice, handle, _ = overdue_task
    promised = await flow.today() + timedelta(days=7)
    with served(create_app(app_settings, sqlite_engine)) as base_url:
        page = await browser.new_page(base_url=base_url)
        try:
            await _collector_journey(page, invoice.number, promised)
        except BaseException:
            shot = tmp_path / "collector-journey-failure.png"
            await page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failure: {shot}")
            raise
    assert (await handle.query(InvoiceCollectionWorkflow.collection)).paused_by == "promise"


async def _collector_journey(page: Page, invoice_number: str, promised: date) -> None:
    await page.goto("/app/login")
    await page.get_by_label("Username").fill("carol")
    await page.get_by_label("Password").fill(factories.PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("link", name="Worklist").click()
    await expect(page.locator("table.worklist")).to_contain_text(invoice_number)
    await page.get_by_role("link", name="ACME Ltd").click()

    await page.get_by_label("What happened").select_option("promise")
    await page.get_by_label("Note", exact=True).fill("AP pays next week")
    await page.get_by_label("Promised date").fill(str(promised))
    await page.get_by_label("Promised amount").fill("250.00")
    await page.get_by_role("button", name="Record").click()
    history = page.locator("ol.history")
    await expect(history).to_contain_text("Promise to pay")
    await expect(history).to_contain_text("250.00 USD")

    await page.get_by_label("Language").select_option("zh_Hant")
    await expect(page.locator("ol.history")).to_contain_text("承諾付款")
