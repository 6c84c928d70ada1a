"""The credit manager's pages on running workflows: the holds queue shows a held order with its
customer, amount and exposure against the limit; a release with a comment moves the order on and
the row leaves; a released shipment goes back to the warehouse; a release without a comment says
why next to the field; a sales rep gets the 403 page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from playwright.async_api import Page, expect
from sqlalchemy.engine import Engine

from api.main import create_app
from models.fulfilment.shipments import ShipmentStatus
from models.sales.messages import Decision
from models.sales.orders import OrderPublic
from o2c.settings import Settings
from tests import factories
from tests.support.orders import planned_shipments, shipments_of, status
from tests.support.polling import eventually
from tests.support.workflows import Flow
from tests.workspace.browsers import CHROMIUM, chromium, served_settings
from tests.workspace.pages import Person
from tests.workspace.server import served
from workflows.sales.order import OrderWorkflow


@pytest.fixture
async def held_order(flow: Flow, sqlite_engine: Engine) -> OrderPublic:
    """ACME's order of 5 widgets (55.00 with tax) over its 50.00 limit, held for credit."""
    factories.product(sqlite_engine, price="10.00")
    customer = factories.customer(sqlite_engine, credit_limit="50.00")
    order = factories.order(sqlite_engine, customer.id, quantity=5, user="rep")
    await flow.relay()
    assert order.status == "credit_hold"
    return order


async def test_the_queue_shows_a_held_order_and_a_release_moves_it_on(
    held_order: OrderPublic, cm: Person, sqlite_engine: Engine
) -> None:
    queue = await cm.open("/app/credit/holds")
    assert queue.status_code == 200
    assert held_order.number in queue.text and "ACME Ltd" in queue.text
    assert "55.00 USD" in queue.text and "50.00 USD" in queue.text  # amount, limit
    assert "would exceed the credit limit" in queue.text

    action = f"/app/credit/holds/orders/{held_order.id}"
    answer = await cm.submit(queue, action, verdict="release", comment="deposit received")
    assert answer.status_code == 200 and answer.text == ""  # htmx takes the row out
    assert answer.headers["HX-Retarget"] == f"#held-order-{held_order.id}"
    assert status(sqlite_engine, held_order.id) == "pending_approval"
    assert held_order.number not in (await cm.open("/app/credit/holds")).text


async def test_a_release_without_a_comment_says_why_next_to_the_field(
    held_order: OrderPublic, cm: Person, sqlite_engine: Engine
) -> None:
    queue = await cm.open("/app/credit/holds")
    action = f"/app/credit/holds/orders/{held_order.id}"
    answer = await cm.submit(queue, action, verdict="release", comment="  ")
    assert 'class="field-error"' in answer.text and "Traceback" not in answer.text
    assert status(sqlite_engine, held_order.id) == "credit_hold"
    # a credit manager alone may not cancel: the API keeps that for sales
    refused = await cm.submit(queue, action, verdict="cancel", comment="no")
    assert refused.status_code == 403 and "not open to your roles" in refused.text


async def test_a_held_shipment_released_from_the_queue_can_be_dispatched(
    flow: Flow, cm: Person, sqlite_engine: Engine
) -> None:
    order = factories.widget_order(sqlite_engine, 2, stock=5)
    await flow.pending_order(order.id)
    factories.invoice(sqlite_engine, order.customer_id, "50.00", tax_rate="0", due=date(2026, 2, 1))
    await flow.order_workflow(order.id).execute_update(
        OrderWorkflow.approve, Decision(user="approver", roles=["approver"])
    )
    [held] = await planned_shipments(sqlite_engine, order.id)
    assert held.status == ShipmentStatus.CREDIT_HOLD

    queue = await cm.open("/app/credit/holds")
    assert f"Shipment {held.id}" in queue.text and "overdue" in queue.text

    action = f"/app/credit/holds/shipments/{held.id}"

    async def released() -> str:
        answer = await cm.submit(queue, action, comment="paid by wire")
        return answer.text

    await eventually(released, lambda text: text == "")  # once its workflow is running
    assert f"Shipment {held.id}" not in (await cm.open("/app/credit/holds")).text
    [released] = shipments_of(sqlite_engine, order.id)
    assert released.status == ShipmentStatus.PLANNED  # the warehouse may dispatch it now


async def test_a_sales_rep_gets_the_403_page_on_the_holds_queue(
    cm: Person, flow: Flow, sqlite_engine: Engine, live_settings: Settings
) -> None:
    rep = Person(sqlite_engine, live_settings, flow.env.client)
    await rep.log_in("rep")
    answer = await rep.open("/app/credit/holds")
    assert answer.status_code == 403 and "This page is not open to your roles." in answer.text
    await rep.aclose()


async def test_the_customer_credit_page_shows_limit_exposure_and_the_released_hold(
    held_order: OrderPublic, cm: Person
) -> None:
    queue = await cm.open("/app/credit/holds")
    action = f"/app/credit/holds/orders/{held_order.id}"
    await cm.submit(queue, action, verdict="release", comment="deposit received")

    page = await cm.open(f"/app/customers/{held_order.customer_id}/credit")
    assert page.status_code == 200
    assert "ACME Ltd" in page.text and "50.00 USD" in page.text  # the limit
    assert "55.00 USD" in page.text and "110.0 %" in page.text  # the order now counts
    assert held_order.number in page.text and "deposit received" in page.text


async def test_a_credit_manager_sets_a_class_policy_and_a_bad_number_is_named(
    person: Callable[[], Person],
) -> None:
    manager = person()
    await manager.log_in("credit_manager")
    page = await manager.open("/app/credit/policies")
    assert page.status_code == 200 and "Any other class" in page.text

    wrong = await manager.submit(
        page, "/app/credit/policies", credit_class="gold", overdue_days_allowed="x", hold_days="-1"
    )
    assert wrong.text.count('class="field-error"') == 2 and 'value="gold"' in wrong.text
    saved = await manager.submit(
        page, "/app/credit/policies", credit_class="gold", overdue_days_allowed="15", hold_days="7"
    )
    assert saved.headers["HX-Redirect"] == "/app/credit/policies"
    listed = await manager.open("/app/credit/policies")
    assert "gold" in listed.text and "15" in listed.text

    rep = person()
    await rep.log_in("sales")
    read_only = await rep.open("/app/credit/policies")
    assert "gold" in read_only.text and 'hx-post="/app/credit/policies"' not in read_only.text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium")
async def test_a_credit_manager_releases_a_hold_in_the_browser_then_reads_chinese(
    held_order: OrderPublic,
    cm: Person,
    sqlite_engine: Engine,
    flow: Flow,
    worker_settings: Settings,
    tmp_path: Path,
) -> None:
    app = create_app(served_settings(flow, worker_settings, tmp_path), sqlite_engine)
    async with chromium() as browser:
        with served(app) as base_url:
            page = await browser.new_page(base_url=base_url)
            try:
                await _release_in_the_browser(page, held_order.number)
            except BaseException:
                shot = tmp_path / "credit-journey-failure.png"
                await page.screenshot(path=str(shot), full_page=True)
                print(f"screenshot of the failure: {shot}")
                raise
    assert status(sqlite_engine, held_order.id) == "pending_approval"


async def _release_in_the_browser(page: Page, order_number: str) -> None:
    await page.goto("/app/login")
    await page.get_by_label("Username").fill("cm")
    await page.get_by_label("Password").fill(factories.PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("link", name="Credit holds").click()
    row = page.locator(f'section[data-order="{order_number}"]')
    await expect(row).to_contain_text("ACME Ltd")
    await expect(row).to_contain_text("55.00 USD")
    await row.get_by_label("Comment").fill("deposit received")
    await row.get_by_role("button", name="Release").click()
    await expect(row).to_have_count(0)  # the Update was accepted: the row left the queue

    await page.get_by_label("Language").select_option("zh_Hant")
    await expect(page.get_by_role("heading", name="因信用暫停的項目")).to_be_visible()
    await expect(page.get_by_text("沒有因信用暫停的訂單。")).to_be_visible()
    await page.get_by_role("link", name="信用報告").click()  # the credit report, in Chinese
    await expect(page.get_by_role("heading", name="信用報告：所有客戶")).to_be_visible()
    await expect(page.locator('tr[data-customer="ACME"]')).to_contain_text("50.00 USD")
