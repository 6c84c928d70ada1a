"""The API's link to Temporal: connected on first use (the API starts even while Temporal is
down), and the outbox relay run right after each command that queued workflow messages.

Commands answered at the same moment share relay passes: one pass at a time per process, and a
command that committed while a pass runs waits for the next, which starts when that one ends and
delivers what every command before it queued. Fifty orders at once then cost a few passes (two
transactions and the Temporal calls each), not fifty passes racing for the same rows."""

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
        self._passing: asyncio.Task[None] | None = None  # the pass under way
        self._next_pass: asyncio.Task[None] | None = None  # the one the callers now wait for
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
        """Best effort now, in a pass that starts after the caller's commit; whatever fails
        stays pending for the worker's relay."""
        if time.monotonic() < self._down_until:
            return
        loop = asyncio.get_running_loop()
        if self._next_pass is None or self._next_pass.get_loop() is not loop:
            self._next_pass = asyncio.create_task(self._pass_after(self._passing))
        # A caller that goes away (its client hung up) leaves the pass to the others.
        await asyncio.shield(self._next_pass)

    async def _pass_after(self, previous: asyncio.Task[None] | None) -> None:
        if previous is not None and previous.get_loop() is asyncio.get_running_loop():
            await asyncio.wait([previous])
        # From here on, commands that finish wait for the pass after this one.
        self._passing, self._next_pass = self._next_pass, None
        if time.monotonic() < self._down_until:
            return
        try:
            client = await self.get(FLUSH_TIMEOUT.total_seconds())
            await relay_once(client, self.engine, self.task_queue, FLUSH_TIMEOUT)
        except Exception as exc:  # Temporal down must not fail a committed command
            self._down_until = time.monotonic() + ASSUME_DOWN_FOR
            log.warning("outbox left for the relay for %.0f s: %s", ASSUME_DOWN_FOR, exc)
