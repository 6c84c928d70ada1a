"""The bench's HTTP clients on a running stack: keyed writes timed one by one, spread over the
stack's API processes in turn, and the latency figures of a batch of them.

Two ways to load the API: `timed` keeps `concurrency` requests in flight, each client sending
its next the moment the last is answered (a closed loop: it finds the saturation throughput, and
its latency is about clients / throughput); `at_rate` sends at a stated arrival rate, each
request timed from the moment it was due to be sent, so a request that waited for its client to
be free counts its wait (no coordinated omission)."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from o2c.process_stack import Stack


@dataclass
class Timings:
    """Seconds each request took, and the answers that were not what the request expected."""

    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0  # CPU seconds the API processes used meanwhile

    def p99(self) -> float:
        return self.percentiles()[2]

    def percentiles(self) -> tuple[float, float, float]:
        """p50, p95 and p99 in milliseconds."""
        cuts = statistics.quantiles(self.seconds, n=100, method="inclusive")
        p50, p95, p99 = (cuts[q - 1] * 1000 for q in (50, 95, 99))
        return p50, p95, p99

    def line(self, what: str) -> str:
        p50, p95, p99 = self.percentiles()
        rate = len(self.seconds) / self.wall if self.wall else 0.0
        cpu = self.cpu / len(self.seconds) * 1000 if self.seconds else 0.0
        return (
            f"  {what:<24} {len(self.seconds):5d} requests {rate:7.1f}/s   p50 {p50:6.0f} ms"
            f"   p95 {p95:6.0f} ms   p99 {p99:6.0f} ms   API CPU {cpu:5.1f} ms/request"
            f"   errors {len(self.errors)}" + (f" (first: {self.errors[0]})" if self.errors else "")
        )


class Desk:
    """Speaks as the user named after each role; every write carries an Idempotency-Key."""

    def __init__(self, stack: Stack, http: httpx.AsyncClient) -> None:
        self.stack, self.http = stack, http
        self.headers = {role: stack.token(role) for role in _ROLES}
        self.sent = 0

    def _url(self, path: str) -> str:
        self.sent += 1
        return self.stack.base_urls[self.sent % len(self.stack.base_urls)] + path

    async def post(self, role: str, path: str, body: dict[str, Any], key: str) -> httpx.Response:
        headers = {**self.headers[role], "Idempotency-Key": key}
        return await self.http.post(self._url(path), json=body, headers=headers)

    async def read(self, path: str) -> Any:
        """The resource as the auditor reads it; a read is sent again on a dropped connection."""
        for _ in range(READ_ATTEMPTS - 1):
            try:
                return await self._read(path)
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        return await self._read(path)

    async def _read(self, path: str) -> Any:
        answer = await self.http.get(self._url(path), headers=self.headers["auditor"])
        answer.raise_for_status()
        return answer.json()

    async def timed(
        self, role: str, path: str, bodies: list[dict[str, Any]], key: str, concurrency: int
    ) -> Timings:
        """Each body POSTed once, `concurrency` at a time, each client sending its next as soon as
        its last is answered (closed loop); 201 is the expected answer."""
        timings = Timings()
        gate = asyncio.Semaphore(concurrency)

        async def one(number: int, body: dict[str, Any]) -> None:
            async with gate:
                await self._send(timings, role, path, body, f"{key}-{number}", time.perf_counter())

        began = time.perf_counter()
        await asyncio.gather(*(one(n, body) for n, body in enumerate(bodies)))
        timings.wall = time.perf_counter() - began
        return timings

    async def at_rate(
        self,
        role: str,
        path: str,
        bodies: list[dict[str, Any]],
        key: str,
        clients: int,
        rate: float,
    ) -> Timings:
        """Each body POSTed once, request n due at n / `rate` seconds, spread over `clients`
        clients in turn (open model); each timed from when it was due, not from when its client
        got round to sending it."""
        timings = Timings()
        began = time.perf_counter()

        async def client(first: int) -> None:
            for number in range(first, len(bodies), clients):
                due = began + number / rate
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                await self._send(timings, role, path, bodies[number], f"{key}-{number}", due)

        await asyncio.gather(*(client(first) for first in range(min(clients, len(bodies)))))
        timings.wall = time.perf_counter() - began
        return timings

    async def _send(
        self,
        timings: Timings,
        role: str,
        path: str,
        body: dict[str, Any],
        key: str,
        since: float,
    ) -> None:
        try:
            answer = await self.post(role, path, body, key)
            problem = None if answer.status_code == 201 else answer.text[:200]
        except httpx.HTTPError as exc:
            problem = f"{type(exc).__name__}: {exc}"
        timings.seconds.append(time.perf_counter() - since)
        if problem:
            timings.errors.append(problem)


READ_ATTEMPTS = 3
# Below uvicorn's keep-alive timeout (5 s): a connection the server is closing is not reused.
KEEPALIVE_SECONDS = 2.0
_ROLES = ("sales", "approver", "warehouse", "finance", "auditor")
