"""Draws docs/images/dashboard.png, the README's picture of the dashboard: the demo data plus a
year of orders, invoices and payments, served on a free port and shown to finance in Chromium
(Debian's /usr/bin/chromium through Playwright). From the repository's root:

    .venv/bin/python -m docs.images.dashboard"""

from __future__ import annotations

import asyncio
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from playwright.async_api import async_playwright
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers every table)
from api.main import create_app
from o2c.db import engine_for
from o2c.demo import load_demo_data
from tests import factories
from tests.support.settings import make_settings
from tests.workspace.server import served
from tests.workspace.test_browser_journey import CHROMIUM, CHROMIUM_ARGS

PICTURE = Path(__file__).with_name("dashboard.png")
PASSWORD = "demo-password-1"
SKUS = ("WID-100", "GEAR-200", "BOLT-M8", "CABLE-5M")


def a_year_of_business(engine: Engine) -> None:
    """Orders every few days for a year; invoices, some paid, some late."""
    rng = random.Random(7)
    today = date.today()
    for customer_id in (1, 2, 3):
        for age in range(0, 365, 9):
            on = today - timedelta(days=age)
            factories.order(engine, customer_id, rng.choice(SKUS), rng.randint(1, 8), on=on)
        for age in range(0, 150, 6):
            price = f"{rng.randint(200, 2500)}.00"
            factories.invoice(engine, customer_id, price, issued=today - timedelta(days=age))
        factories.payment(engine, customer_id, "9000.00", received_on=today - timedelta(days=2))


async def photograph(base_url: str) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        page = await browser.new_page(viewport={"width": 1280, "height": 1000})
        await page.goto(f"{base_url}/app/login")
        await page.fill("input[name=username]", "finance")
        await page.fill("input[name=password]", PASSWORD)
        await page.click("main button")
        await page.wait_for_selector("#ageing-chart canvas")
        await page.wait_for_timeout(1500)  # the charts' entry animation
        await page.screenshot(path=str(PICTURE))  # the first screen
        await browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = make_settings(Path(folder), temporal_address="127.0.0.1:1", secure_cookies=False)
        engine = engine_for(settings.sqlalchemy_url)
        SQLModel.metadata.create_all(engine)
        load_demo_data(engine, PASSWORD)
        a_year_of_business(engine)
        with served(create_app(settings, engine)) as base_url:
            asyncio.run(photograph(base_url))
    print(f"wrote {PICTURE}")


if __name__ == "__main__":
    main()
