"""One journey in Debian's Chromium: a sales rep enters an order by clicking (finds the customer,
types a line, sees it priced), lands on the new order's page, then reads it in Simplified
Chinese. A screenshot is kept when it fails."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Browser, Page, expect
from sqlalchemy.engine import Engine

from api.main import create_app
from o2c.settings import Settings
from tests import factories
from tests.support.orders import status_of
from tests.support.polling import eventually
from tests.support.workflows import Flow
from tests.workspace.server import served
from tests.workspace.test_browser_journey import (  # noqa: F401 (fixtures)
    app_settings,
    browser,
    pytestmark,
)


async def test_a_rep_enters_an_order_by_clicking_then_reads_it_in_chinese(
    flow: Flow,
    sqlite_engine: Engine,
    app_settings: Settings,  # noqa: F811
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    factories.staff(sqlite_engine, factories.SALES_DESK)
    factories.approval_policy(sqlite_engine, {"name": "manager", "role": "approver"})
    factories.product(sqlite_engine, price="10.00")
    factories.customer(sqlite_engine, credit_limit="1000.00")

    with served(create_app(app_settings, sqlite_engine)) as base_url:
        page = await browser.new_page(base_url=base_url)
        try:
            order_id = await _journey(page)
        except BaseException:
            shot = tmp_path / "sales-journey-failure.png"
            await page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failure: {shot}")
            raise
    await eventually(status_of(sqlite_engine, order_id), lambda s: s == "pending_approval")


async def _journey(page: Page) -> int:
    await page.goto("/app/login")
    await page.get_by_label("Username").fill("rep")
    await page.get_by_label("Password").fill(factories.PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("link", name="New order").click()

    await page.get_by_label("Find a customer by name or code").fill("acm")
    await page.get_by_role("button", name="ACME Ltd (ACME)").click()
    await expect(page.get_by_label("Credit position")).to_contain_text("1,000.00 USD")
    await page.get_by_label("SKU 1").fill("WIDGET")
    await page.get_by_label("Quantity 1").fill("3")
    await page.get_by_label("Discount % 1").focus()  # leaving the field prices the line
    await expect(page.get_by_label("Priced lines")).to_contain_text("33.00 USD")

    await page.get_by_role("button", name="Enter the order").click()
    await expect(page).to_have_url(re.compile(r"/app/orders/\d+$"))
    await expect(page.get_by_role("heading", name=re.compile(r"^Order SO-"))).to_be_visible()
    await expect(page.locator("#order-body")).to_contain_text("ACME Ltd")

    await page.get_by_label("Language").select_option("zh_Hans")
    await expect(page.get_by_role("heading", name="时间线")).to_be_visible()
    await expect(page.get_by_role("link", name="在 Temporal UI 中打开")).to_be_visible()
    return int(page.url.rsplit("/", 1)[1])
