"""The dashboard's report figures as last read, kept for a short while: reading them scans the
open invoices and the orders of a year, so every visit within `seconds` of the last reading
shows that reading, and the page says as of when. Kept per day and per set of reports read (the
same for everyone who may read the same reports); the orders waiting for one's decision are
one's own and read on every visit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from threading import Lock

from fastapi import Request
from sqlmodel import Session

from api.pages.dashboard_figures import EVERYTHING, Figures, read_reports, sources, waiting_for
from models.base import utcnow
from models.security.users import User

Key = tuple[tuple[bool, bool, bool], date, frozenset[str]]


@dataclass(frozen=True)
class Reading:
    figures: Figures
    read_at: datetime  # UTC


class FiguresCache:
    def __init__(self, seconds: float, clock: Callable[[], datetime] = utcnow) -> None:
        self.keep = timedelta(seconds=seconds)
        self.clock = clock
        self.readings: dict[Key, Reading] = {}
        self.lock = Lock()

    def _fresh(self, key: Key, now: datetime) -> Reading | None:
        with self.lock:
            found = self.readings.get(key)
        return found if found is not None and now - found.read_at < self.keep else None

    def read(self, session: Session, user: User, today: date, parts: frozenset[str]) -> Reading:
        """The figures of `parts` for `user` and when they were read: a whole dashboard's
        reading still fresh serves a part of it too, so a download matches the page."""
        now = self.clock()
        who = sources(user)
        kept = self._fresh((who, today, EVERYTHING), now) or self._fresh((who, today, parts), now)
        if kept is None:
            kept = Reading(read_reports(session, user, today, parts), now)
            with self.lock:
                # A reading of another day is never asked for again.
                self.readings = {k: r for k, r in self.readings.items() if k[1] == today}
                self.readings[who, today, parts] = kept
        return Reading(
            replace(kept.figures, waiting=waiting_for(session, user, parts)), kept.read_at
        )


def figures_cache(request: Request, seconds: float) -> FiguresCache:
    """The app's cache, made on first use."""
    state = request.app.state
    if not hasattr(state, "dashboard_figures"):
        state.dashboard_figures = FiguresCache(seconds)
    cache: FiguresCache = state.dashboard_figures
    return cache
