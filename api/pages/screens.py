"""What a page handler needs to answer: the person allowed to open the page, and a way to draw
a template for them in their language; or, for a page that only reads, the whole answer in one
trip to a worker thread (`shown`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection, Engine, QueuePool
from sqlmodel import Session

from activities.security.audit_context import act_as
from activities.transaction import READS_ONLY
from api.deps import get_database, get_settings_dep
from api.pages.access import LoginRequired, Page, allowed_to, refuse
from api.pages.rendering import render
from api.pages.session import page_holder, session_token
from models.security.users import User
from o2c.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class Screen:
    request: Request
    settings: Settings
    user: User

    def show(self, template: str, context: dict[str, Any] | None = None) -> HTMLResponse:
        return render(self.request, template, self.settings, self.user, context)


def screen_of(page: Page) -> Callable[..., Awaitable[Screen]]:
    """The screen of `page` for the person at it, who must be one the page is for: one
    dependency that takes only the request, so FastAPI solves nothing more per request."""

    async def open_screen(request: Request) -> Screen:
        user = await allowed_to(page, request)
        return Screen(request, get_settings_dep(request), user)

    return open_screen


@dataclass(frozen=True)
class Drawing:
    """What a page draws: its template, what the template shows, and the answer's status."""

    template: str
    context: dict[str, Any]
    status_code: int = 200


def _inline(engine: Engine) -> bool:
    """Whether a bounded read may run on the event loop: on SQLite (in-process; in WAL mode a
    reader waits for no writer) while the pool holds an idle connection, so taking one cannot
    wait for a worker thread to give one back."""
    pool = engine.pool
    return engine.dialect.name == "sqlite" and isinstance(pool, QueuePool) and pool.checkedin() > 0


@contextmanager
def _reading(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction, as `activities.transaction.reading` opens one, on a plain
    connection: the ORM session's own transaction cost a page ~0.05 ms to open and close and
    ~0.04 ms more at its first statement, and a page that reads with Core needs none."""
    connection = engine.connect().execution_options(**{READS_ONLY: True})
    with connection, connection.begin():
        yield connection


@contextmanager
def _session_on(connection: Connection) -> Iterator[Session]:
    """An ORM session in the connection's read-only transaction, which it joins, never ends,
    and may not write in (`activities.transaction`)."""
    with Session(bind=connection, expire_on_commit=False) as session:
        session.info[READS_ONLY] = True
        yield session


async def _read_as(
    request: Request, page: Page, read: Callable[[Connection], Callable[[User], T]], bounded: bool
) -> tuple[User, T]:
    """The person at `page` and what `read` (given the transaction's connection, the read for
    the person) reads for them, in one trip to a worker thread, or on the event loop for a
    `bounded` read on SQLite (`read_for`)."""
    settings = get_settings_dep(request)
    engine = get_database(request).engine
    token = session_token(request)

    def answer() -> tuple[User | None, T | None]:
        with _reading(engine) as connection:
            user = page_holder(connection, settings, token) if token else None
            if user is None:
                return None, None
            act_as(user.username)  # the request's audit context, shared with the thread's
            return user, read(connection)(user) if page.allows(user) else None

    user, found = answer() if bounded and _inline(engine) else await run_in_threadpool(answer)
    if user is None:
        raise LoginRequired
    if not page.allows(user):
        await refuse(request, user)
    return user, found  # type: ignore[return-value]  # read for an allowed user


async def read_for(
    request: Request, page: Page, read: Callable[[Session, User], T], *, bounded: bool = False
) -> tuple[User, T]:
    """The person at `page` and what `read` reads for them, in one trip to a worker thread: their
    session and the page's rows in one read-only transaction. Each await of a worker thread (a
    thread hop) cost a page ~0.1 ms, more on a busy machine; a page that looked the session up
    in one and read in another paid it twice. No session: the login page; roles the page is not
    for: the 403 page, the refusal recorded, as `allowed_to`. A `bounded` read (a few rows by
    primary key or an index, whatever the request asks) runs on the event loop on SQLite: the
    hop cost such a page as much as its read (docs/workspace.md, render benchmark)."""

    def with_session(connection: Connection) -> Callable[[User], T]:
        def for_user(user: User) -> T:
            with _session_on(connection) as session:
                return read(session, user)

        return for_user

    return await _read_as(request, page, with_session, bounded)


async def read_rows_for(
    request: Request, page: Page, read: Callable[[Connection, User], T], *, bounded: bool = False
) -> tuple[User, T]:
    """As `read_for`, for a page that reads with Core only: on the transaction's connection,
    with no ORM session."""
    return await _read_as(request, page, lambda connection: partial(read, connection), bounded)


def _drawn(
    request: Request, read: Callable[[Any, User], Drawing]
) -> Callable[[Any, User], HTMLResponse]:
    settings = get_settings_dep(request)

    def drawn(reader: Any, user: User) -> HTMLResponse:
        drawing = read(reader, user)
        context, status_code = drawing.context, drawing.status_code
        return render(request, drawing.template, settings, user, context, status_code)

    return drawn


async def shown(
    request: Request, page: Page, read: Callable[[Session, User], Drawing], *, bounded: bool = False
) -> HTMLResponse:
    """`page` for the person at it, as `read_for` reads it, drawn in the same worker thread (or
    on the event loop with a `bounded` read on SQLite)."""
    _, response = await read_for(request, page, _drawn(request, read), bounded=bounded)
    return response


async def rows_shown(
    request: Request,
    page: Page,
    read: Callable[[Connection, User], Drawing],
    *,
    bounded: bool = False,
) -> HTMLResponse:
    """As `shown`, for a page that reads with Core only (`read_rows_for`)."""
    _, response = await read_rows_for(request, page, _drawn(request, read), bounded=bounded)
    return response
