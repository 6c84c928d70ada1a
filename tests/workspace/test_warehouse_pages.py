"""The warehouse page over HTTP: a planned shipment dispatched with carrier, tracking number and
ETA shows it on the way; a missing carrier is named next to its field and what was typed stays;
a shipment past its ETA is flagged late; one marked delivered says so; a return is received."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.fulfilment.tracking import record_tracking
from api.main import create_app
from models.fulfilment.shipments import CarrierStatus, TrackingRequest
from o2c.settings import Settings
from tests import factories
from tests.workspace.browsers import CHROMIUM, chromium
from tests.workspace.pages import Person
from tests.workspace.server import served


@pytest.fixture
async def clerk(person: Callable[[], Person]) -> AsyncIterator[Person]:
    someone = person()
    await someone.log_in("warehouse")
    yield someone


@pytest.fixture
def shipment_id(sqlite_engine: Engine) -> int:
    """ACME's approved order of 2 widgets, planned as one shipment from MAIN."""
    return factories.planned_order(sqlite_engine).shipments[0]


async def test_a_clerk_dispatches_a_shipment_and_sees_it_on_the_way(
    clerk: Person, shipment_id: int
) -> None:
    page = await clerk.open("/app/warehouse")
    assert page.status_code == 200
    assert f"Shipment {shipment_id}" in page.text and "ACME Ltd" in page.text
    eta = (date.today() + timedelta(days=2)).isoformat()

    done = await clerk.submit(
        page,
        f"/app/warehouse/{shipment_id}/dispatch",
        carrier="DHL",
        tracking_number="JD0001",
        eta=eta,
    )
    assert done.status_code == 200 and done.headers["HX-Retarget"] == f"#shipment-{shipment_id}"
    assert "DHL" in done.text and "JD0001" in done.text and "dispatched" in done.text
    on_the_way = await clerk.open("/app/warehouse?status=dispatched")
    assert "JD0001" in on_the_way.text and "Late" not in on_the_way.text
    assert f"Shipment {shipment_id}" not in (await clerk.open("/app/warehouse")).text


async def test_a_dispatch_without_a_carrier_names_the_field_and_keeps_what_was_typed(
    clerk: Person, shipment_id: int
) -> None:
    page = await clerk.open("/app/warehouse")
    answer = await clerk.submit(
        page,
        f"/app/warehouse/{shipment_id}/dispatch",
        carrier="",
        tracking_number="JD0002",
        eta=date.today().isoformat(),
    )
    assert 'name="carrier" type="text" value="" aria-invalid="true"' in answer.text
    assert 'class="field-error"' in answer.text and 'value="JD0002"' in answer.text
    past = await clerk.submit(
        page,
        f"/app/warehouse/{shipment_id}/dispatch",
        carrier="DHL",
        tracking_number="JD0002",
        eta=(date.today() - timedelta(days=1)).isoformat(),
    )
    assert "eta must not be before the dispatch date" in past.text and 'value="DHL"' in past.text


async def test_a_shipment_past_its_eta_is_flagged_late_then_delivered_and_returned(
    clerk: Person, shipment_id: int, sqlite_engine: Engine
) -> None:
    factories.dispatch(sqlite_engine, shipment_id)
    late_eta = date.today() - timedelta(days=1)
    carrier_says = TrackingRequest(status=CarrierStatus.IN_TRANSIT, eta=late_eta, event_id="e1")
    with Session(sqlite_engine) as session, session.begin():
        record_tracking(session, shipment_id, carrier_says, datetime.now(UTC))

    page = await clerk.open("/app/warehouse?status=in_transit")
    assert "Late: the ETA has passed" in page.text

    delivered = await clerk.submit(page, f"/app/warehouse/{shipment_id}/deliver")
    assert "delivered" in delivered.text and "Late" not in delivered.text
    listed = await clerk.open("/app/warehouse?status=delivered")
    assert f"Shipment {shipment_id}" in listed.text

    action = f"/app/warehouse/{shipment_id}/returns"
    too_many = await clerk.submit(listed, action, **{"quantity:WIDGET": "5", "reason": "broken"})
    assert "Not done:" in too_many.text and 'value="5"' in too_many.text
    returned = await clerk.submit(listed, action, **{"quantity:WIDGET": "1", "reason": "broken"})
    assert "Return" in returned.text and "WIDGET × 1" in returned.text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium")
async def test_a_warehouse_clerk_dispatches_a_shipment_in_the_browser(
    shipment_id: int, sqlite_engine: Engine, page_settings: Settings, tmp_path: Path
) -> None:
    factories.one_user_per_role(sqlite_engine)
    async with chromium() as browser:
        with served(create_app(page_settings, sqlite_engine)) as base_url:
            page = await browser.new_page(base_url=base_url)
            try:
                await _dispatch_in_the_browser(page, shipment_id)
            except BaseException:
                shot = tmp_path / "warehouse-journey-failure.png"
                await page.screenshot(path=str(shot), full_page=True)
                print(f"screenshot of the failure: {shot}")
                raise


async def _dispatch_in_the_browser(page: Page, shipment_id: int) -> None:
    await page.goto("/app/login")
    await page.get_by_label("Username").fill("warehouse")
    await page.get_by_label("Password").fill(factories.PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.get_by_role("link", name="Warehouse").click()
    row = page.locator(f"#shipment-{shipment_id}")
    await expect(row).to_contain_text("ACME Ltd")
    await row.get_by_label("Carrier").fill("DHL")
    await row.get_by_label("Tracking number").fill("JD0042")
    await row.get_by_label("ETA").fill(date.today().isoformat())
    await row.get_by_role("button", name="Dispatch").click()
    await expect(row.locator(".status")).to_have_text("dispatched")
    await expect(row).to_contain_text("JD0042")
    await page.get_by_role("link", name="Dispatched").click()
    await expect(page.locator(f"#shipment-{shipment_id}")).to_contain_text("Mark delivered")
