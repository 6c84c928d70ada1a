"""Amending and cancelling an order before it ships, through the API on the time-skipping
server: the earlier version is kept, totals are recomputed, the gate and approval run again."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests import factories
from tests.support.api_client import ApiClient
from tests.support.orders import level_waiting, status_of
from tests.support.polling import eventually
from tests.support.workflows import Flow

pytestmark = pytest.mark.usefixtures("sales_desk")


async def _entered(flow: Flow, api: ApiClient, limit: str = "1000.00") -> dict[str, Any]:
    """An order of two widgets entered by the rep, waiting for its approval."""
    customer = factories.customer(flow.engine, credit_limit=limit)
    created = await api.post(
        "/orders",
        "rep",
        {"customer_id": customer.id, "lines": [{"sku": "WIDGET", "quantity": "2"}]},
        expect=201,
    )
    await flow.relay()
    order = created.json()
    await level_waiting(flow.engine, order["id"], 1)
    return order  # type: ignore[no-any-return]


async def test_amending_keeps_the_old_version_recomputes_and_asks_approval_again(
    live_api: ApiClient, sqlite_engine: Engine, flow: Flow
) -> None:
    order = await _entered(flow, live_api)
    path = f"/orders/{order['id']}"
    amended = await live_api.call(
        "PATCH",
        path,
        "rep",
        expect=200,
        json={"lines": [{"sku": "WIDGET", "quantity": "5", "discount_pct": "10"}]},
    )
    body = amended.json()
    # 5 x 10.00 less 10 % = 45.00, tax 10 % = 4.50
    assert (body["revision"], body["subtotal"], body["tax"], body["total"]) == (
        2,
        "45.00",
        "4.50",
        "49.50",
    )
    assert body["status"] == "pending_approval"
    [before] = await live_api.get(f"{path}/revisions", "rep")
    assert (before["revision"], before["total"], before["lines"][0]["quantity"]) == (
        1,
        "22.00",
        "2.000",
    )

    async def inbox() -> list[tuple[int, int, str]]:
        page = await live_api.get("/approvals?status=pending", "ann")
        return [(t["order_id"], t["revision"], t["total"]) for t in page["items"]]

    await eventually(inbox, lambda items: items == [(order["id"], 2, "49.50")])
    await live_api.post(f"{path}/approve", "ann", {}, expect=200)
    await eventually(status_of(sqlite_engine, order["id"]), lambda s: s == "backordered")
    timeline = await live_api.get(f"{path}/timeline", "rep")
    assert [e["kind"] for e in timeline if e["kind"] in ("amended", "approved")] == [
        "amended",
        "approved",
    ]
    late = await live_api.call(
        "PATCH", path, "rep", json={"lines": [{"sku": "WIDGET", "quantity": "1"}]}
    )
    assert late.status_code == 409


async def test_an_amendment_over_the_limit_goes_back_to_credit_hold(
    live_api: ApiClient, flow: Flow
) -> None:
    order = await _entered(flow, live_api, limit="100.00")
    path = f"/orders/{order['id']}"
    held = await live_api.call(
        "PATCH", path, "rep", expect=200, json={"lines": [{"sku": "WIDGET", "quantity": "10"}]}
    )
    assert (held.json()["status"], held.json()["total"]) == ("credit_hold", "110.00")
    assert "would exceed the credit limit 100.00" in held.json()["credit_holds"][-1]["reasons"]
    approve = await live_api.post(f"{path}/approve", "ann", {})
    assert approve.status_code == 409  # no way around the gate
    credit = await live_api.get(f"/customers/{order['customer_id']}/credit", "rep")
    assert credit["open_orders"] == "0.00"  # a held order does not count


async def test_a_bad_amendment_is_refused_and_changes_nothing(
    live_api: ApiClient, flow: Flow
) -> None:
    order = await _entered(flow, live_api)
    path = f"/orders/{order['id']}"
    unknown = await live_api.call(
        "PATCH", path, "rep", json={"lines": [{"sku": "NOPE", "quantity": "1"}]}
    )
    assert unknown.status_code == 422
    discount = await live_api.call(
        "PATCH",
        path,
        "rep",
        json={"lines": [{"sku": "WIDGET", "quantity": "1", "discount_pct": "101"}]},
    )
    assert discount.status_code == 422
    assert (await live_api.get(path, "rep"))["revision"] == 1
    assert await live_api.get(f"{path}/revisions", "rep") == []


async def test_cancelling_before_shipment_releases_the_credit(
    live_api: ApiClient, flow: Flow
) -> None:
    order = await _entered(flow, live_api)
    credit_path = f"/customers/{order['customer_id']}/credit"
    assert (await live_api.get(credit_path, "rep"))["open_orders"] == "22.00"
    await live_api.post(
        f"/orders/{order['id']}/cancel", "rep", {"reason": "customer withdrew"}, expect=200
    )
    credit = await live_api.get(credit_path, "rep")
    assert (credit["open_orders"], credit["available"]) == ("0.00", "1000.00")
    assert await live_api.get("/approvals?status=pending", "ann") == {"items": [], "total": 0}
