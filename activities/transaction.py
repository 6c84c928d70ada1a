"""The one way to run a command against the database: one session, one transaction, committed
when the command returns and rolled back when it raises. What only reads says so (`reading`,
`run_query`): on SQLite it then waits for no writer (o2c/db.py), and it may not write."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from temporalio import activity

from activities.security.audit_trail import watch_changes

P = ParamSpec("P")
T = TypeVar("T")
# The execution option (and session info key) that marks a transaction as reading only.
READS_ONLY = "o2c_reads_only"
# The execution option of a command's transaction that may be run again from the start: on
# SQLite it begins as a read and takes its write turn at its first write (o2c/db.py).
WRITES_ON_DEMAND = "o2c_writes_on_demand"


class WriteInReadOnlyTransaction(RuntimeError):
    """A read (`reading`) tried to write: it must run as a command (`transaction`)."""


@contextmanager
def _whole() -> Iterator[None]:
    """In a thread-pool activity, Temporal raises a cancellation (the step's timeout) in the
    thread at whatever line it is on: inside SQLAlchemy's or the write turn's own bookkeeping
    it left the SQLite write turn taken (every later command waited for it) or a mapper half
    configured. A transaction runs to its commit or rollback; the cancellation follows it."""
    if activity.in_activity():
        with activity.shield_thread_cancel_exception():
            yield
    else:
        yield


@contextmanager
def transaction(engine: Engine, *, rerunnable: bool = False) -> Iterator[Session]:
    """`rerunnable`: the caller runs the whole transaction again when it fails as stale
    (`run_command`), so it need not wait for its write turn before it writes."""
    with _whole(), Session(engine, expire_on_commit=False) as session, session.begin():
        if rerunnable:
            session.connection(execution_options={WRITES_ON_DEMAND: True})
        watch_changes(session)  # every change to an audited table leaves its audit row
        yield session


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A transaction that only reads: a consistent snapshot, never a write."""
    with _whole(), Session(engine, expire_on_commit=False) as session, session.begin():
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
    """Runs `command(session, *args, **kwargs)` in one transaction; typed like the command. On
    SQLite a command that only reads waits for no writer; one that writes after another writer
    committed what it had not seen is refused by SQLite and run again, in its turn."""
    try:
        with transaction(engine, rerunnable=True) as session:
            return command(session, *args, **kwargs)
    except OperationalError as exc:
        if "database is locked" not in str(exc):
            raise
    with transaction(engine) as session:
        return command(session, *args, **kwargs)


def run_query(
    engine: Engine, query: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """Runs `query(session, *args, **kwargs)` in a read-only transaction (`reading`)."""
    with reading(engine) as session:
        return query(session, *args, **kwargs)
