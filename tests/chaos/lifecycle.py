"""Orders driven through the stack's HTTP API as the people would: entered, approved,
dispatched, paid and delivered, each step for every order at once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import httpx

from tests.chaos.stack import Stack
from tests.support.polling import eventually


class Desk:
    """Everyone's HTTP client on the stack; retries what the API asks to retry (503) or what a
    killed API never answered, with the same Idempotency-Key."""

    def __init__(self, stack: Stack, http: httpx.AsyncClient) -> None:
        self.stack, self.http = stack, http

    async def send(self, role: str, path: str, body: dict[str, Any], key: str) -> httpx.Response:
        headers = {**self.stack.token(role), "Idempotency-Key": key}
        answer: httpx.Response | None = None
        for _ in range(120):
            try:
                answer = await self.http.post(path, json=body, headers=headers)
            except httpx.TransportError:  # the API was killed: send it again, same key
                answer = None
            if answer is not None and not _try_again(answer):
                return answer
            await asyncio.sleep(0.5)
        raise AssertionError(f"{path} never answered: {answer and answer.text}")

    async def read(self, path: str) -> Any:
        answer = await self.http.get(path, headers=self.stack.token("auditor"))
        answer.raise_for_status()
        return answer.json()

    async def order_reaches(self, order_id: int, status: str, timeout: float = 180) -> Any:
        async def probe() -> Any:
            try:
                return await self.read(f"/orders/{order_id}")
            except httpx.HTTPError:
                return {"status": "unreadable"}

        return await eventually(probe, lambda o: o["status"] == status, timeout)


async def each(orders: list[int], step: Callable[[int], Awaitable[Any]]) -> list[Any]:
    return list(await asyncio.gather(*(step(order_id) for order_id in orders)))


def order_body(customer_id: int) -> dict[str, Any]:
    return {"customer_id": customer_id, "lines": [{"sku": "WIDGET", "quantity": "2"}]}


def dispatch_body() -> dict[str, Any]:
    eta = (date.today() + timedelta(days=3)).isoformat()
    return {"carrier": "DHL", "tracking_number": "JD-CHAOS", "eta": eta}


def payment_body(customer_id: int, invoice: dict[str, Any]) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "amount": invoice["total"],
        "received_on": date.today().isoformat(),
        "reference": f"PAY-{invoice['number']}",
        "allocations": [{"invoice_id": invoice["id"], "amount": invoice["total"]}],
    }


def _try_again(answer: httpx.Response) -> bool:
    """503 (the workflow service is away), or 409 for a keyed request still running."""
    still_running = answer.status_code == 409 and "Idempotency-Key" in answer.text
    return answer.status_code == 503 or still_running
