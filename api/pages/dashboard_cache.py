"""The dashboard's report figures as last read, so nobody waits for them: reading them scans the
open invoices and the orders of a year (seconds at full size). Every visit shows the kept
reading and says as of when; once it is older than `seconds`, the visit that notices starts one
reading in the background (one at a time per set of figures, however many visit meanwhile) and
the visits after it show the new figures. Only a set never read today is read while the person
waits; the app reads every active person's set when it starts. Kept per day and per set of
reports read (the same for everyone who may read the same reports); the orders waiting for
one's decision are one's own and read on every visit. `seconds` 0 reads on every visit."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from fastapi import FastAPI

from api.deps import Database
from api.pages.dashboard_figures import (
    EVERYTHING,
    Figures,
    Sources,
    active_sources,
    read_reports,
    sources,
    waiting_for,
)
from models.base import utcnow
from models.security.users import User

log = logging.getLogger(__name__)
Key = tuple[Sources, date, frozenset[str]]


@dataclass(frozen=True)
class Reading:
    figures: Figures
    read_at: datetime  # UTC


class FiguresCache:
    """Lives on the app's event loop: its readings and refreshes change only there."""

    def __init__(self, seconds: float, clock: Callable[[], datetime] = utcnow) -> None:
        self.keep = timedelta(seconds=seconds)
        self.clock = clock
        self.readings: dict[Key, Reading] = {}
        self.refreshes: dict[Key, asyncio.Task[Reading]] = {}

    def kept(self, who: Sources, today: date, parts: frozenset[str]) -> tuple[Key, Reading] | None:
        """Today's reading of `parts`, of any age: a whole dashboard's reading serves a part of
        it too, so a download matches the page."""
        for key in ((who, today, EVERYTHING), (who, today, parts)):
            found = self.readings.get(key)
            if found is not None:
                return key, found
        return None

    def refresh(self, db: Database, key: Key) -> asyncio.Task[Reading]:
        """The reading of `key`'s figures under way, started if none is."""
        running = self.refreshes.get(key)
        if running is None or running.done() or running.get_loop() is not _loop():
            running = asyncio.create_task(self._read(db, key))
            running.add_done_callback(_report_failure)
            self.refreshes[key] = running
        return running

    async def _read(self, db: Database, key: Key) -> Reading:
        who, today, parts = key
        try:
            read_at = self.clock()
            reading = Reading(await db.run(read_reports, who, today, parts), read_at)
            # A reading of another day is never asked for again.
            self.readings = {k: r for k, r in self.readings.items() if k[1] == today}
            self.readings[key] = reading
            return reading
        finally:
            if self.refreshes.get(key) is asyncio.current_task():
                del self.refreshes[key]

    async def read(self, db: Database, user: User, today: date, parts: frozenset[str]) -> Reading:
        """The figures of `parts` for `user`, and when they were read."""
        who = sources(user)
        found = self.kept(who, today, parts)
        if found is None or not self.keep:
            # Shielded: a person leaving the page does not stop the reading others wait for.
            reading = await asyncio.shield(self.refresh(db, (who, today, parts)))
        else:
            key, reading = found
            if self.clock() - reading.read_at >= self.keep:
                self.refresh(db, key)  # this visit shows the kept figures, the next the new
        waiting = await db.run(waiting_for, user, parts)
        return Reading(replace(reading.figures, waiting=waiting), reading.read_at)

    async def warm(self, db: Database, today: date) -> None:
        """Reads the whole dashboard of every active person's set of reports, one at a time."""
        for who in await db.run(active_sources):
            await self.refresh(db, (who, today, EVERYTHING))


def _loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


def _report_failure(task: asyncio.Task[Reading]) -> None:
    """A background reading that failed is logged; the kept figures stay, the next visit after
    the refresh time tries again."""
    if not task.cancelled() and (error := task.exception()) is not None:
        log.warning("dashboard figures not read again: %r", error)


def figures_cache(app: FastAPI) -> FiguresCache:
    """The app's cache, made on first use."""
    state = app.state
    if not hasattr(state, "dashboard_figures"):
        state.dashboard_figures = FiguresCache(state.settings.dashboard_refresh_seconds)
    cache: FiguresCache = state.dashboard_figures
    return cache


def warm_on_start(app: FastAPI) -> None:
    """When the app starts, its dashboards' figures are read in the background; it answers
    meanwhile (a dashboard asked for before its set is read waits for that reading)."""

    async def start() -> None:
        cache = figures_cache(app)
        app.state.dashboard_warming = asyncio.create_task(
            cache.warm(app.state.database, date.today())
        )
        app.state.dashboard_warming.add_done_callback(_report_warm_failure)

    async def stop() -> None:
        warming: asyncio.Task[None] | None = getattr(app.state, "dashboard_warming", None)
        if warming is not None:
            warming.cancel()

    app.router.add_event_handler("startup", start)
    app.router.add_event_handler("shutdown", stop)


def _report_warm_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.warning("dashboard figures not read at start: %r", error)
