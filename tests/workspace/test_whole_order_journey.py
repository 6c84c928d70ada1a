"""One order from entry to closed, by clicking in Debian's Chromium as the four people who touch
it, each logged in in a browser context of their own: the rep enters it, the approver approves
it, the warehouse clerk dispatches it, finance records its payment, the clerk marks it delivered
and the rep sees it closed. Then a collector records a promise to pay on another customer's
overdue invoice. A screenshot of each person's page is kept when it fails."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, expect
from sqlalchemy.engine import Engine

from api.main import create_app
from models.security.users import Role
from o2c.settings import Settings
from tests import factories
from tests.support.clock import moment
from tests.support.collection import invoice_in_collection, task_of
from tests.support.orders import invoices_of, status_of
from tests.support.polling import eventually, reading
from tests.support.workflows import Flow
from tests.workspace.server import served
from tests.workspace.test_browser_journey import (  # noqa: F401 (fixtures)
    app_settings,
    browser,
    pytestmark,
)

WAIT = 30_000  # ms for each expectation and action: the machine is shared and slow
LogIn = Callable[[str], Awaitable[Page]]


async def test_one_order_goes_from_entry_to_closed_by_clicking_then_a_promise_is_recorded(
    flow: Flow,
    sqlite_engine: Engine,
    app_settings: Settings,  # noqa: F811
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    factories.staff(sqlite_engine, factories.SALES_DESK)
    factories.staff(sqlite_engine, factories.COLLECTIONS_TEAM)
    factories.user(sqlite_engine, "warehouse", [Role.WAREHOUSE])
    factories.approval_policy(sqlite_engine, {"name": "manager", "role": "approver"})
    factories.product(sqlite_engine, price="10.00", stock=10)
    factories.customer(sqlite_engine, credit_limit="1000.00")

    with served(create_app(app_settings, sqlite_engine)) as base_url:
        contexts: dict[str, BrowserContext] = {}

        async def log_in(username: str) -> Page:
            context = await browser.new_context(base_url=base_url)
            contexts[username] = context
            page = await context.new_page()
            page.set_default_timeout(WAIT)
            await page.goto("/app/login")
            await page.get_by_label("Username").fill(username)
            await page.get_by_label("Password").fill(factories.PASSWORD)
            await page.get_by_role("button", name="Log in").click()
            await expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
            return page

        expect.set_options(timeout=WAIT)
        try:
            await _order_journey(sqlite_engine, log_in)
            await _promise_journey(flow, sqlite_engine, log_in)
        except BaseException:
            for username, context in contexts.items():
                for page in context.pages:
                    shot = tmp_path / f"whole-journey-failure-{username}.png"
                    await page.screenshot(path=str(shot), full_page=True)
                    print(f"screenshot of the failure: {shot}")
            raise
        finally:
            expect.set_options(timeout=None)  # back to Playwright's default for other tests
            for context in contexts.values():
                await context.close()


async def _order_journey(engine: Engine, log_in: LogIn) -> None:
    # 1. The rep enters the order and lands on its page.
    rep = await log_in("rep")
    await rep.get_by_role("link", name="New order").click()
    await rep.get_by_label("Find a customer by name or code").fill("acm")
    await rep.get_by_role("button", name="ACME Ltd (ACME)").click()
    await expect(rep.get_by_label("Credit position")).to_contain_text("1,000.00 USD")
    await rep.get_by_label("SKU 1").fill("WIDGET")
    await rep.get_by_label("Quantity 1").fill("3")
    await rep.get_by_label("Discount % 1").focus()  # leaving the field prices the line
    await expect(rep.get_by_label("Priced lines")).to_contain_text("33.00 USD")
    await rep.get_by_role("button", name="Enter the order").click()
    await expect(rep).to_have_url(re.compile(r"/app/orders/\d+$"))
    order_id = int(rep.url.rsplit("/", 1)[1])
    await eventually(status_of(engine, order_id), lambda s: s == "pending_approval")
    await rep.reload()
    await expect(rep.locator("h1 .status")).to_have_text("Pending approval")
    heading = await rep.get_by_role("heading", name=re.compile(r"^Order SO-")).inner_text()
    number = heading.split()[1]

    # 2. The approver approves it from the inbox.
    approver = await log_in("ann")
    await approver.get_by_role("link", name="Approvals").click()
    row = approver.locator(f'section[data-order="{number}"]')
    await expect(row).to_contain_text("ACME Ltd")
    await row.get_by_role("button", name="Approve").click()
    await expect(row).to_have_count(0)

    # 3. The warehouse clerk dispatches its shipment.
    await eventually(status_of(engine, order_id), lambda s: s == "awaiting_shipment")
    clerk = await log_in("warehouse")
    await clerk.get_by_role("link", name="Warehouse").click()
    shipment = clerk.locator(f'section[data-order="{number}"]')
    await shipment.get_by_label("Carrier").fill("DHL")
    await shipment.get_by_label("Tracking number").fill("JD0042")
    await shipment.get_by_label("ETA").fill((date.today() + timedelta(days=2)).isoformat())
    await shipment.get_by_role("button", name="Dispatch").click()
    await expect(shipment.locator(".status")).to_have_text("dispatched")

    # 4. Finance records the payment, its allocation to the invoice shown before saving.
    invoices = await eventually(reading(invoices_of, engine, order_id), lambda i: len(i) == 1)
    finance = await log_in("fin")
    await finance.get_by_role("link", name="Record a payment").click()
    await finance.get_by_label("Customer").select_option(label="ACME · ACME Ltd (USD)")
    await finance.get_by_label("Received on").fill(invoices[0].issue_date.isoformat())
    await finance.get_by_label("Reference").fill("BANK-1")
    await finance.get_by_label("Amount").fill("33.00")
    applied = finance.locator(f'tr[data-invoice="{invoices[0].number}"] .applied')
    await expect(applied).to_have_text("33.00 USD")
    await finance.get_by_role("button", name="Save the payment").click()
    await expect(finance.get_by_role("status")).to_contain_text("Payment recorded: BANK-1")
    await eventually(status_of(engine, order_id), lambda s: s == "paid")

    # 5. The clerk marks the shipment delivered.
    await clerk.get_by_role("link", name="Dispatched").click()
    await shipment.get_by_role("button", name="Mark delivered").click()
    await expect(shipment.locator(".status")).to_have_text("delivered")

    # 6. The rep sees the order closed.
    await eventually(status_of(engine, order_id), lambda s: s == "closed")
    await rep.reload()
    await expect(rep.locator("h1 .status")).to_have_text("Closed")


async def _promise_journey(flow: Flow, engine: Engine, log_in: LogIn) -> None:
    """BETA owes 1,000.00 USD, 60 days past due: carol's collection task is open."""
    invoice, _ = await invoice_in_collection(flow, code="BETA", collector="carol")
    await flow.sleep_until(moment(invoice.due_date, 60))
    task = task_of(engine, invoice)
    assert task is not None
    promised = await flow.today() + timedelta(days=7)

    collector = await log_in("carol")
    await collector.get_by_role("link", name="Worklist").click()
    await expect(collector.locator("table.worklist")).to_contain_text(invoice.number)
    await collector.get_by_role("link", name="BETA Ltd").click()
    await collector.get_by_label("What happened").select_option("promise")
    await collector.get_by_label("Note", exact=True).fill("AP pays next week")
    await collector.get_by_label("Promised date").fill(str(promised))
    await collector.get_by_label("Promised amount").fill("250.00")
    await collector.get_by_role("button", name="Record").click()
    history = collector.locator("ol.history")
    await expect(history).to_contain_text("Promise to pay")
    await expect(history).to_contain_text("250.00 USD")
