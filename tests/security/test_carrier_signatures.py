"""Carrier tracking webhooks as an attacker tries them: only a carrier's HMAC-SHA256 signature
over the exact body and a fresh timestamp is taken; a wrong, missing or old signature is 401 and
records nothing; a carrier cannot track another carrier's shipment. Each event says who sent it."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine

from api.carrier_signature import signature
from models.security.users import Role
from o2c.settings import Settings
from tests import factories
from tests.fixtures.api import UNREACHABLE_TEMPORAL
from tests.support.api_client import ApiClient
from tests.support.settings import make_settings

DHL_SECRET = "dhl-shared-secret-0123456789"
UPS_SECRET = "ups-shared-secret-9876543210"
DISPATCH = {
    "carrier": "DHL",
    "tracking_number": "JD0001",
    "eta": (date.today() + timedelta(days=3)).isoformat(),
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path,
        temporal_address=UNREACHABLE_TEMPORAL,
        carrier_secrets={"DHL": DHL_SECRET, "UPS": UPS_SECRET},
    )


async def dispatched(api: ApiClient, engine: Engine) -> int:
    shipment_id = factories.planned_order(engine).shipments[0]
    await api.post(f"/shipments/{shipment_id}/dispatch", Role.WAREHOUSE, DISPATCH, expect=200)
    return shipment_id


def event(event_id: str = "dhl-1", status: str = "in_transit") -> bytes:
    return json.dumps({"status": status, "event_id": event_id, "location": "Leipzig"}).encode()


def signed(
    body: bytes, carrier: str = "DHL", secret: str = DHL_SECRET, at: float | None = None
) -> dict[str, str]:
    timestamp = str(int(time.time() if at is None else at))
    return {
        "Content-Type": "application/json",
        "X-Carrier-Name": carrier,
        "X-Carrier-Timestamp": timestamp,
        "X-Carrier-Signature": "sha256=" + signature(secret, timestamp, body),
    }


async def send(api: ApiClient, shipment_id: int, body: bytes, headers: dict[str, str]) -> Any:
    return await api.http.post(f"/shipments/{shipment_id}/tracking", content=body, headers=headers)


async def history(api: ApiClient, shipment_id: int) -> list[dict[str, Any]]:
    return await api.get(f"/shipments/{shipment_id}/tracking", Role.WAREHOUSE)  # type: ignore[no-any-return]


async def test_a_carriers_signed_event_is_taken_and_says_the_carrier_sent_it(
    api: ApiClient, engine: Engine
) -> None:
    shipment_id = await dispatched(api, engine)
    body = event()

    answer = await send(api, shipment_id, body, signed(body))

    assert answer.status_code == 200, answer.text
    assert (answer.json()["status"], answer.json()["location"]) == ("in_transit", "Leipzig")
    [recorded] = await history(api, shipment_id)
    assert recorded["sent_by"] == "carrier:DHL"


async def test_a_warehouse_users_event_says_who_sent_it(api: ApiClient, engine: Engine) -> None:
    shipment_id = await dispatched(api, engine)

    await api.post(
        f"/shipments/{shipment_id}/tracking",
        Role.WAREHOUSE,
        {"status": "in_transit", "event_id": "manual-1"},
        expect=200,
    )

    assert [e["sent_by"] for e in await history(api, shipment_id)] == ["warehouse"]


async def test_wrong_or_missing_signatures_are_401_and_record_nothing(
    api: ApiClient, engine: Engine
) -> None:
    shipment_id = await dispatched(api, engine)
    body = event()
    good = signed(body)
    attempts: dict[str, tuple[bytes, dict[str, str]]] = {
        "another carrier's secret": (body, signed(body, secret=UPS_SECRET)),
        "a guessed secret": (body, signed(body, secret="guess")),
        "body changed after signing": (event(status="delivered"), good),
        "no signature": (body, {**good, "X-Carrier-Signature": ""}),
        "signature header left out": (
            body,
            {k: v for k, v in good.items() if k != "X-Carrier-Signature"},
        ),
        "no carrier name": (body, {k: v for k, v in good.items() if k != "X-Carrier-Name"}),
        "unknown carrier": (body, signed(body, carrier="FEDEX", secret=DHL_SECRET)),
        "timestamp not a number": (body, {**good, "X-Carrier-Timestamp": "soon"}),
    }

    for what, (sent, headers) in attempts.items():
        answer = await send(api, shipment_id, sent, headers)
        assert answer.status_code == 401, what

    assert await history(api, shipment_id) == []
    shipment = await api.get(f"/shipments/{shipment_id}", Role.WAREHOUSE)
    assert shipment["status"] == "dispatched"


async def test_an_old_or_future_timestamp_is_refused_even_when_signed_right(
    api: ApiClient, engine: Engine
) -> None:
    shipment_id = await dispatched(api, engine)
    body = event(status="delivered")
    max_age = api.settings.carrier_signature_max_age_seconds

    replayed = await send(api, shipment_id, body, signed(body, at=time.time() - max_age - 5))
    future = await send(api, shipment_id, body, signed(body, at=time.time() + max_age + 5))

    assert (replayed.status_code, future.status_code) == (401, 401)
    assert await history(api, shipment_id) == []


async def test_a_replay_within_the_window_changes_nothing(api: ApiClient, engine: Engine) -> None:
    shipment_id = await dispatched(api, engine)
    body = event()
    headers = signed(body)

    first = await send(api, shipment_id, body, headers)
    again = await send(api, shipment_id, body, headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert len(await history(api, shipment_id)) == 1


async def test_a_carrier_cannot_track_another_carriers_shipment(
    api: ApiClient, engine: Engine
) -> None:
    shipment_id = await dispatched(api, engine)  # carried by DHL
    body = event(status="delivered")

    answer = await send(api, shipment_id, body, signed(body, carrier="UPS", secret=UPS_SECRET))

    assert answer.status_code == 403
    assert await history(api, shipment_id) == []


async def test_without_token_or_signature_or_with_another_role_nobody_posts_events(
    api: ApiClient, engine: Engine
) -> None:
    shipment_id = await dispatched(api, engine)
    body = {"status": "delivered", "event_id": "x-1"}

    anonymous: httpx.Response = await api.http.post(f"/shipments/{shipment_id}/tracking", json=body)
    sales = await api.post(f"/shipments/{shipment_id}/tracking", Role.SALES, body)

    assert (anonymous.status_code, sales.status_code) == (401, 403)
    assert await history(api, shipment_id) == []
