"""The API's link to Temporal: connected on first use (the API starts even while Temporal is
down), and the outbox relay run right after each command that queued workflow messages."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.engine import Engine
from temporalio.client import Client

from o2c.relay import relay_once

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = 5.0
# A write waits at most about this long for Temporal before leaving its messages to the relay.
FLUSH_TIMEOUT = timedelta(seconds=1)
# After Temporal failed to answer, writes skip the flush this long: the worker's relay delivers.
ASSUME_DOWN_FOR = 15.0


class TemporalUnavailable(Exception):
    """Temporal did not answer the connect: the API answers 503 (see api/errors.py)."""


class TemporalLink:
    def __init__(
        self, connect: Callable[[], Awaitable[Client]], engine: Engine, task_queue: str
    ) -> None:
        self._connect = connect
        self._client: Client | None = None
        self._lock = asyncio.Lock()
        self._down_until = 0.0
        self.engine = engine
        self.task_queue = task_queue

    async def get(self, timeout: float = CONNECT_TIMEOUT) -> Client:
        """The client; raises TemporalUnavailable when Temporal does not answer within
        `timeout` s or refuses the connection."""
        if self._client is None:
            try:
                async with asyncio.timeout(timeout), self._lock:
                    if self._client is None:
                        self._client = await self._connect()
            except (TimeoutError, RuntimeError, OSError) as exc:
                raise TemporalUnavailable(str(exc) or "no answer in time") from exc
        return self._client

    async def flush_outbox(self) -> None:
        """Best effort now; whatever fails stays pending for the worker's relay."""
        if time.monotonic() < self._down_until:
            return
        try:
            client = await self.get(FLUSH_TIMEOUT.total_seconds())
            await relay_once(client, self.engine, self.task_queue, FLUSH_TIMEOUT)
        except Exception as exc:  # Temporal down must not fail a committed command
            self._down_until = time.monotonic() + ASSUME_DOWN_FOR
            log.warning("outbox left for the relay for %.0f s: %s", ASSUME_DOWN_FOR, exc)
