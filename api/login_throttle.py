"""Login throttling: after too many failed logins for one username, or from one address, within
the window, every login for it is refused with 429 and Retry-After until the oldest failure is
out of the window. Kept in each API process's memory; failures are logged, never the password."""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from activities.security.audit_trail import record_login
from activities.security.users import authenticate
from api.deps import Database
from models.security.users import User
from o2c.settings import Settings

log = logging.getLogger("o2c.security")
# Past this many tracked names and addresses, expired counts are forgotten, then the longest
# tracked: a flood of made-up usernames cannot grow the memory without bound.
MOST_KEYS = 100_000


class TooManyFailedLogins(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins: retry after {retry_after} s")
        self.retry_after = retry_after


class LoginThrottle:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = settings.login_window_minutes * 60
        self.limits = {"user": settings.login_failures_per_user}
        self.limits["address"] = settings.login_failures_per_address
        self.clock = clock
        self.failures: dict[tuple[str, str], deque[float]] = {}

    def _keys(self, username: str, address: str) -> list[tuple[str, str]]:
        return [("user", username.lower()), ("address", address)]

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times = self.failures.get(key, deque())
        while times and times[0] <= self.clock() - self.window:
            times.popleft()
        if not times:
            self.failures.pop(key, None)
        return times

    def retry_after(self, username: str, address: str) -> int | None:
        """Seconds until a login for this username from this address may be tried again."""
        waits = [
            times[-self.limits[key[0]]] + self.window - self.clock()
            for key in self._keys(username, address)
            if len(times := self._recent(key)) >= self.limits[key[0]]
        ]
        return max(1, math.ceil(max(waits))) if waits else None

    def failed(self, username: str, address: str) -> None:
        log.warning("failed login for username %r from %s", username, address)
        if len(self.failures) > MOST_KEYS:
            for key in list(self.failures):
                self._recent(key)
            for key in list(self.failures)[: len(self.failures) - MOST_KEYS]:
                del self.failures[key]  # still too many: the longest-tracked go first
        for key in self._keys(username, address):
            self.failures.setdefault(key, deque()).append(self.clock())

    def succeeded(self, username: str) -> None:
        self.failures.pop(("user", username.lower()), None)


async def checked_login(
    db: Database, throttle: LoginThrottle, username: str, password: str, address: str
) -> User | None:
    """The user these credentials name, or None; raises TooManyFailedLogins, without looking at
    the password, while this username or address is throttled."""
    wait = throttle.retry_after(username, address)
    if wait is not None:
        log.warning("throttled login for username %r from %s", username, address)
        raise TooManyFailedLogins(wait)
    user = await db.run(authenticate, username, password)
    await db.run(record_login, username, user is not None)
    if user is None:
        throttle.failed(username, address)
    else:
        throttle.succeeded(username)
    return user


def get_login_throttle(request: Request) -> LoginThrottle:
    return request.app.state.login_throttle  # type: ignore[no-any-return]


def client_address(request: Request) -> str:
    """The caller's address (behind a proxy, as uvicorn's --forwarded-allow-ips sets it)."""
    return request.client.host if request.client else "unknown"


LoginThrottleDep = Annotated[LoginThrottle, Depends(get_login_throttle)]
