"""Debian's Chromium for the page journeys beyond the approver's, launched as that journey
launches it, and the served app's settings when its actions reach the test's workflows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from o2c.settings import Settings
from tests.support.settings import make_settings
from tests.support.workflows import Flow
from tests.workspace.test_browser_journey import CHROMIUM, CHROMIUM_ARGS

__all__ = ["CHROMIUM", "chromium", "served_settings"]


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


def served_settings(flow: Flow, worker_settings: Settings, tmp_path: Path) -> Settings:
    """uvicorn's thread connects its own client to the test's time-skipping server."""
    return make_settings(
        tmp_path,
        temporal_address=flow.env.client.service_client.config.target_host,
        task_queue=worker_settings.task_queue,
        smtp_port=worker_settings.smtp_port,
        secure_cookies=False,
    )
