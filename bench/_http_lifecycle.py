"""One order taken from entry to closed through the HTTP API, as the people would: sales enters
it, an approver approves it if the policy asks, the warehouse dispatches, finance records the
payment of its invoice, the warehouse confirms delivery."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx

from bench._http import Desk
from bench._seed import SKU

POLL = 0.2
NOT_STARTED = "has not started yet"


class LifecycleError(Exception):
    """A step was refused or the order stopped where it should not."""


async def reaches(desk: Desk, order_id: int, wanted: set[str], timeout: float = 300) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        order = await desk.read(f"/orders/{order_id}")
        if order["status"] in wanted:
            return order
        if asyncio.get_running_loop().time() > deadline:
            raise LifecycleError(f"order {order_id} stayed {order['status']}, not {wanted}")
        await asyncio.sleep(POLL)


async def step(desk: Desk, role: str, path: str, body: dict[str, Any], key: str) -> Any:
    """The step's answer. A decision that reaches the order before its workflow has started
    (the status is written with the order, the workflow starts just after) is sent again, as a
    person would click again: under a new key, as the refusal is kept under the first; so is one
    answered 503 (Temporal slow to take it up). A dropped connection is retried under the same
    key."""
    refusals = 0
    for _ in range(600):  # two minutes
        try:
            answer = await desk.post(role, path, body, f"{key}-{refusals}")
        except httpx.TransportError:
            await asyncio.sleep(POLL)
            continue
        if answer.is_success:
            return answer.json()
        not_yet = answer.status_code == 409 and NOT_STARTED in answer.text
        if not (not_yet or answer.status_code == 503):
            raise LifecycleError(f"{path}: {answer.status_code} {answer.text[:200]}")
        refusals += 1
        await asyncio.sleep(POLL)
    raise LifecycleError(f"{path}: no answer in two minutes")


async def order_to_closed(desk: Desk, customer_id: int, number: int) -> int:
    """The order's id, once it is closed."""
    body = {"customer_id": customer_id, "lines": [{"sku": SKU, "quantity": "1"}]}
    order_id = (await step(desk, "sales", "/orders", body, f"life-order-{number}"))["id"]
    order = await reaches(desk, order_id, {"pending_approval", "awaiting_shipment"})
    if order["status"] == "pending_approval":
        try:
            await step(desk, "approver", f"/orders/{order_id}/approve", {}, f"life-ok-{number}")
        except LifecycleError:  # refused as decided: an approval answered 503 was taken up
            if (await desk.read(f"/orders/{order_id}"))["status"] == "pending_approval":
                raise
        order = await reaches(desk, order_id, {"awaiting_shipment"})
    shipment = order["shipments"][0]["id"]
    eta = (date.today() + timedelta(days=3)).isoformat()
    dispatch = {"carrier": "BENCH", "tracking_number": f"T{number}", "eta": eta}
    await step(desk, "warehouse", f"/shipments/{shipment}/dispatch", dispatch, f"life-d-{number}")
    invoice = (await reaches(desk, order_id, {"invoiced"}))["invoices"][0]
    payment = {
        "customer_id": customer_id,
        "amount": invoice["total"],
        "received_on": date.today().isoformat(),
        "reference": f"PAY-{invoice['number']}",
        "allocations": [{"invoice_id": invoice["id"], "amount": invoice["total"]}],
    }
    await step(desk, "finance", "/payments", payment, f"life-pay-{number}")
    await step(desk, "warehouse", f"/shipments/{shipment}/deliver", {}, f"life-dl-{number}")
    await reaches(desk, order_id, {"closed"})
    return int(order_id)
