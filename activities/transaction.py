"""The one way to run a command against the database: one session, one transaction, committed
when the command returns and rolled back when it raises. What only reads says so (`reading`,
`run_query`): on SQLite it then waits for no writer (o2c/db.py), and it may not write."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.security.audit_trail import watch_changes

P = ParamSpec("P")
T = TypeVar("T")
# The execution option (and session info key) that marks a transaction as reading only.
READS_ONLY = "o2c_reads_only"


class WriteInReadOnlyTransaction(RuntimeError):
    """A read (`reading`) tried to write: it must run as a command (`transaction`)."""


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        watch_changes(session)  # every change to an audited table leaves its audit row
        yield session


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A transaction that only reads: a consistent snapshot, never a write."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        session.info[READS_ONLY] = True
        session.connection(execution_options={READS_ONLY: True})
        yield session


@event.listens_for(Session, "before_flush")
def _refuse_writes_in_reads(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(READS_ONLY) and (session.new or session.dirty or session.deleted):
        raise WriteInReadOnlyTransaction("a read-only transaction tried to write")


def run_command(
    engine: Engine, command: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """Runs `command(session, *args, **kwargs)` in one transaction; typed like the command."""
    with transaction(engine) as session:
        return command(session, *args, **kwargs)


def run_query(
    engine: Engine, query: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """Runs `query(session, *args, **kwargs)` in a read-only transaction (`reading`)."""
    with reading(engine) as session:
        return query(session, *args, **kwargs)
