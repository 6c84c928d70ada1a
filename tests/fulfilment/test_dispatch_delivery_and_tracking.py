"""Shipments through the HTTP API: dispatch issues stock, delivery, carrier tracking (idempotent,
out of order), and the bad input that is refused with nothing saved."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from models.fulfilment.shipments import TrackingEvent
from models.fulfilment.stock import StockMove
from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.database import rows

W = Role.WAREHOUSE
TOMORROW = (date.today() + timedelta(days=1)).isoformat()
DISPATCH = {"carrier": "DHL", "tracking_number": "JD0001", "eta": TOMORROW}


async def _stock(api: ApiClient) -> dict[str, Any]:
    return (await api.get("/stock", params={"sku": "WIDGET"}))["items"][0]  # type: ignore[no-any-return]


async def _dispatched(api: ApiClient, engine: Engine) -> int:
    shipment_id = factories.planned_order(engine).shipments[0]
    await api.post(f"/shipments/{shipment_id}/dispatch", W, DISPATCH, expect=200)
    return shipment_id


async def test_dispatch_issues_the_reserved_goods_and_cannot_happen_twice(
    api: ApiClient, engine: Engine
) -> None:
    shipment_id = factories.planned_order(engine, quantity=2, stock=5).shipments[0]
    assert await _stock(api) == {
        "sku": "WIDGET",
        "warehouse": "MAIN",
        "on_hand": "5.000",
        "reserved": "2.000",
        "available": "3.000",
    }
    body = (await api.post(f"/shipments/{shipment_id}/dispatch", W, DISPATCH, expect=200)).json()
    assert (body["status"], body["carrier"], body["eta"]) == ("dispatched", "DHL", TOMORROW)
    after = await _stock(api)
    assert (after["on_hand"], after["reserved"], after["available"]) == ("3.000", "0.000", "3.000")

    again = await api.post(f"/shipments/{shipment_id}/dispatch", W, DISPATCH)
    assert again.status_code == 409
    assert await _stock(api) == after


async def test_dispatching_a_delivered_shipment_is_refused_and_changes_nothing(
    api: ApiClient, engine: Engine
) -> None:
    shipment_id = await _dispatched(api, engine)
    await api.post(f"/shipments/{shipment_id}/deliver", W, {}, expect=200)
    moves = rows(engine, StockMove)
    refused = await api.post(f"/shipments/{shipment_id}/dispatch", W, DISPATCH)
    assert refused.status_code == 409
    assert "delivered" in refused.json()["detail"]
    assert rows(engine, StockMove) == moves
    assert (await api.get(f"/shipments/{shipment_id}"))["status"] == "delivered"
    twice = await api.post(f"/shipments/{shipment_id}/deliver", W, {})
    assert twice.status_code == 409


async def test_delivering_before_dispatch_is_refused(api: ApiClient, engine: Engine) -> None:
    shipment_id = factories.planned_order(engine).shipments[0]
    refused = await api.post(f"/shipments/{shipment_id}/deliver", W, {})
    assert refused.status_code == 409
    assert "dispatch it first" in refused.json()["detail"]
    assert (await api.get(f"/shipments/{shipment_id}"))["status"] == "planned"


async def test_eta_before_the_dispatch_date_is_refused(api: ApiClient, engine: Engine) -> None:
    shipment_id = factories.planned_order(engine).shipments[0]
    past = {**DISPATCH, "eta": (date.today() - timedelta(days=3)).isoformat()}
    assert (await api.post(f"/shipments/{shipment_id}/dispatch", W, past)).status_code == 422
    assert (await _stock(api))["reserved"] == "2.000"


async def test_tracking_event_for_an_unknown_shipment_is_not_found(
    api: ApiClient, engine: Engine
) -> None:
    event = {"status": "in_transit", "event_id": "evt-1"}
    assert (await api.post("/shipments/999/tracking", W, event)).status_code == 404
    assert rows(engine, TrackingEvent) == 0


async def test_tracking_before_dispatch_is_a_conflict(api: ApiClient, engine: Engine) -> None:
    shipment_id = factories.planned_order(engine).shipments[0]
    event = {"status": "in_transit", "event_id": "evt-1"}
    assert (await api.post(f"/shipments/{shipment_id}/tracking", W, event)).status_code == 409
    assert rows(engine, TrackingEvent) == 0


async def test_unknown_carrier_status_is_refused(api: ApiClient, engine: Engine) -> None:
    shipment_id = await _dispatched(api, engine)
    event = {"status": "teleported", "event_id": "evt-1"}
    assert (await api.post(f"/shipments/{shipment_id}/tracking", W, event)).status_code == 422


async def test_a_resent_tracking_event_is_recorded_once(api: ApiClient, engine: Engine) -> None:
    shipment_id = await _dispatched(api, engine)
    event = {"status": "in_transit", "location": "Hamburg", "event_id": "evt-1"}
    first = await api.post(f"/shipments/{shipment_id}/tracking", W, event, expect=200)
    second = await api.post(f"/shipments/{shipment_id}/tracking", W, event, expect=200)
    assert first.json() == second.json()
    assert (first.json()["status"], first.json()["location"]) == ("in_transit", "Hamburg")
    assert len(await api.get(f"/shipments/{shipment_id}/tracking")) == 1


async def test_an_older_tracking_event_never_overwrites_a_newer_status(
    api: ApiClient, engine: Engine
) -> None:
    shipment_id = await _dispatched(api, engine)
    now = datetime.now(UTC)
    newer = {
        "status": "out_for_delivery",
        "location": "Berlin",
        "event_id": "evt-2",
        "occurred_at": now.isoformat(),
    }
    older = {
        "status": "in_transit",
        "location": "Hamburg",
        "event_id": "evt-1",
        "occurred_at": (now - timedelta(hours=5)).isoformat(),
    }
    await api.post(f"/shipments/{shipment_id}/tracking", W, newer, expect=200)
    late = (await api.post(f"/shipments/{shipment_id}/tracking", W, older, expect=200)).json()
    assert (late["carrier_status"], late["location"]) == ("out_for_delivery", "Berlin")
    history = await api.get(f"/shipments/{shipment_id}/tracking")
    assert [(e["event_id"], e["applied"]) for e in history] == [("evt-1", False), ("evt-2", True)]


async def test_a_carrier_delivered_event_delivers_the_shipment_even_out_of_order(
    api: ApiClient, engine: Engine
) -> None:
    shipment_id = await _dispatched(api, engine)
    now = datetime.now(UTC)
    delivered = {"status": "delivered", "event_id": "evt-9", "occurred_at": now.isoformat()}
    earlier = {
        "status": "in_transit",
        "event_id": "evt-3",
        "occurred_at": (now - timedelta(days=1)).isoformat(),
    }
    body = (await api.post(f"/shipments/{shipment_id}/tracking", W, delivered, expect=200)).json()
    assert body["status"] == "delivered"
    body = (await api.post(f"/shipments/{shipment_id}/tracking", W, earlier, expect=200)).json()
    assert body["status"] == "delivered"  # a late in-transit event does not undo the delivery


async def test_tracking_needs_the_warehouse_role(api: ApiClient, engine: Engine) -> None:
    shipment_id = await _dispatched(api, engine)
    event = {"status": "in_transit", "event_id": "evt-1"}
    assert (
        await api.post(f"/shipments/{shipment_id}/tracking", Role.SALES, event)
    ).status_code == 403


async def test_dispatch_before_the_order_took_the_shipment_up_is_refused(
    api: ApiClient, engine: Engine
) -> None:
    """The shipment is in the database (planned by a run of the order's workflow that a crash
    cut short) but the order still shows `approved`: no dispatch message left stuck."""
    order = factories.widget_order(engine, 2, stock=5)
    factories.approve(engine, order.id)
    shipment_id = factories.plan_only(engine, order.id).shipments[0]

    refused = await api.post(f"/shipments/{shipment_id}/dispatch", W, DISPATCH)

    assert refused.status_code == 409
    assert "not ready for dispatch" in refused.json()["detail"]
    assert (await api.get(f"/shipments/{shipment_id}"))["status"] == "planned"
    assert await _stock(api) == {
        "sku": "WIDGET",
        "warehouse": "MAIN",
        "on_hand": "5.000",
        "reserved": "2.000",
        "available": "3.000",
    }
