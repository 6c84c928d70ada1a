"""The one way to run a command against the database: one session, one transaction, committed
when the command returns and rolled back when it raises."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.security.audit_trail import watch_changes

P = ParamSpec("P")
T = TypeVar("T")


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        watch_changes(session)  # every change to an audited table leaves its audit row
        yield session


def run_command(
    engine: Engine, command: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """Runs `command(session, *args, **kwargs)` in one transaction; typed like the command."""
    with transaction(engine) as session:
        return command(session, *args, **kwargs)
