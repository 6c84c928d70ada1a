"""One journey in Debian's Chromium: an approver logs in, approves an order from the inbox and
sees it leave, then switches the pages to Chinese. A screenshot is kept when it fails."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect
from sqlalchemy.engine import Engine

from api.main import create_app
from o2c.settings import Settings
from tests import factories
from tests.support.orders import status
from tests.support.settings import make_settings
from tests.support.workflows import Flow
from tests.workspace.server import served

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's Chromium: apt-get install chromium"
)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        await chromium.close()


@pytest.fixture
def app_settings(flow: Flow, worker_settings: Settings, tmp_path: Path) -> Settings:
    """The served app connects its own client (uvicorn's thread has its own event loop) to the
    test's time-skipping server, where the test's worker runs the order."""
    return make_settings(
        tmp_path,
        temporal_address=flow.env.client.service_client.config.target_host,
        task_queue=worker_settings.task_queue,
        smtp_port=worker_settings.smtp_port,
        secure_cookies=False,
    )


async def test_an_approver_approves_an_order_in_the_browser_then_reads_chinese(
    flow: Flow, sqlite_engine: Engine, app_settings: Settings, browser: Browser, tmp_path: Path
) -> None:
    factories.staff(sqlite_engine, factories.SALES_DESK)
    factories.approval_policy(sqlite_engine, {"name": "manager", "role": "approver"})
    factories.product(sqlite_engine, price="10.00")
    order = factories.order(sqlite_engine, factories.customer(sqlite_engine).id, user="rep")
    await flow.pending_order(order.id)

    with served(create_app(app_settings, sqlite_engine)) as base_url:
        page = await browser.new_page(base_url=base_url)
        try:
            await _journey(page, order.number)
        except BaseException:
            shot = tmp_path / "browser-journey-failure.png"
            await page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failure: {shot}")
            raise
    assert status(sqlite_engine, order.id) != "pending_approval"


async def _journey(page: Page, order_number: str) -> None:
    await page.goto("/app/inbox")
    await expect(page).to_have_url(re.compile(r"/app/login$"))  # sent to log in first
    await page.get_by_label("Username").fill("ann")
    await page.get_by_label("Password").fill(factories.PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    await page.get_by_role("link", name="Approvals").click()
    row = page.locator(f'section[data-order="{order_number}"]')
    await expect(row).to_contain_text("ACME Ltd")
    await row.get_by_label("Comment").fill("looks fine")
    await row.get_by_role("button", name="Approve").click()
    await expect(row).to_have_count(0)  # the Update was accepted: the row left the inbox
    await page.reload()
    await expect(page.get_by_text("Nothing is waiting for you.")).to_be_visible()

    await page.get_by_label("Language").select_option("zh_Hans")
    await expect(page.get_by_role("heading", name="等待我决定的订单")).to_be_visible()
    await expect(page.get_by_role("link", name="仪表板")).to_be_visible()
