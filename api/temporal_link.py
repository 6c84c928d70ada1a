"""The API's link to Temporal: connected on first use (the API starts even while Temporal is
down), and the outbox relay run right after each command that queued workflow messages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.engine import Engine
from temporalio.client import Client

from o2c.relay import relay_once

log = logging.getLogger(__name__)


class TemporalLink:
    def __init__(
        self, connect: Callable[[], Awaitable[Client]], engine: Engine, task_queue: str
    ) -> None:
        self._connect = connect
        self._client: Client | None = None
        self._lock = asyncio.Lock()
        self.engine = engine
        self.task_queue = task_queue

    async def get(self) -> Client:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    self._client = await self._connect()
        return self._client

    async def flush_outbox(self) -> None:
        """Best effort now; whatever fails stays pending for the worker's relay."""
        try:
            client = await self.get()
            await relay_once(client, self.engine, self.task_queue)
        except Exception as exc:  # Temporal down must not fail a committed command
            log.warning("outbox left for the relay: %s", exc)
