"""The database engines: one per URL, with SQLite set up for concurrent commands.

Sessions and transactions are opened by `activities.transaction`: a command's transaction
writes, a read's (`activities.transaction.reading`) only reads. On SQLite the commands of one
process take turns on a lock of their own before `BEGIN IMMEDIATE`, so a writer waits for the
one before it and starts the moment it commits, never in SQLite's busy handler, whose back-off
sleeps grow to 100 ms a try; reads begin a plain (deferred) transaction and wait for nobody (WAL
keeps their snapshot). A command run by `run_command` begins as a read and takes its turn at its
first write, so one that only reads never waits for a writer; had another writer committed since
it began, SQLite refuses its write and `run_command` runs it again, in its turn from the start.
Two commands never read-then-write over each other.

On PostgreSQL a pooled connection that has been idle a while is checked with one `SELECT 1`
before it is handed out, and replaced if it is dead (a restarted server, a firewall that dropped
an idle connection); one in steady use is handed out as it is, so a busy process pays no round
trip per checkout (`pool_pre_ping` did, on every one). A connection that dies while in use fails
its one transaction, and SQLAlchemy then replaces every connection opened before it; connections
are also renewed after `RECYCLE_AFTER` so none outlives a server-side idle limit."""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlmodel import create_engine

from activities.transaction import READS_ONLY, WRITES_ON_DEMAND
from o2c.settings import get_settings

# As long as SQLite's own busy timeout: a writer waiting longer is stuck, not queued.
WRITE_TURN_TIMEOUT = 30.0
HOLDS_TURN = "o2c_holds_write_turn"
READS = ("SELECT", "PRAGMA", "BEGIN")  # what takes no write turn
# A PostgreSQL connection back in the pool longer than this is pinged before its next use.
PING_IDLE_AFTER = 10.0
RECYCLE_AFTER = 1800  # seconds: below the usual server and firewall idle limits
RETURNED_AT = "o2c_returned_at"


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    settings = get_settings()
    engine = create_engine(
        url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_overflow,
        pool_recycle=RECYCLE_AFTER,
    )
    event.listen(engine, "checkin", _note_return)
    event.listen(engine, "checkout", IdlePing(engine.dialect).checkout)
    return engine


def _note_return(_dbapi_connection: Any, record: Any) -> None:
    record.info[RETURNED_AT] = time.monotonic()


class IdlePing:
    """Pings a connection idle for a while as the pool hands it out; a dead one is replaced
    (raising DisconnectionError makes the pool open a fresh connection and try again)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def checkout(self, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(RETURNED_AT)
        if returned is None or time.monotonic() - returned < PING_IDLE_AFTER:
            return  # just opened, or in steady use
        try:
            self.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("a pooled connection was dead") from exc


def _sqlite_engine(url: str) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": WRITE_TURN_TIMEOUT}
    )
    turn = WriteTurn()
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", turn.begin)
    event.listen(engine, "before_cursor_execute", turn.before_write)
    event.listen(engine.pool, "checkin", turn.end)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers go on while one writer commits; foreign keys are off by default in SQLite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class WriteTurn:
    """One writing transaction at a time per SQLite database in this process. The turn is taken
    when a transaction begins and given back when its connection returns to the pool (after the
    commit or rollback), so the next writer's `BEGIN IMMEDIATE` finds the database free."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def begin(self, connection: Connection) -> None:
        options = connection.get_execution_options()
        if options.get(READS_ONLY) or options.get(WRITES_ON_DEMAND):
            connection.exec_driver_sql("BEGIN")
            return
        self._take(connection.info)
        try:
            # Other processes (a second worker, the API beside the worker) still wait in
            # SQLite's busy handler: their writes are serialised by the file lock.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._give_back(connection.info)
            raise

    def before_write(self, connection: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        """A command begun as a read takes its turn at its first write. Had another writer
        committed since it read, SQLite refuses the write (SQLITE_BUSY_SNAPSHOT, "database is
        locked") rather than let it write over what it did not see: `run_command` runs it again."""
        if connection.info.get(HOLDS_TURN) or statement.lstrip()[:6].upper() in READS:
            return
        if connection.get_execution_options().get(WRITES_ON_DEMAND):
            self._take(connection.info)

    def _take(self, info: dict[Any, Any]) -> None:
        if info.get(HOLDS_TURN):
            return
        if not self._lock.acquire(timeout=WRITE_TURN_TIMEOUT):
            raise OperationalError("BEGIN IMMEDIATE", None, Exception("database is locked"))
        info[HOLDS_TURN] = True

    def end(self, _dbapi_connection: Any, record: Any) -> None:
        self._give_back(record.info)

    def _give_back(self, info: dict[Any, Any]) -> None:
        if info.pop(HOLDS_TURN, False):
            self._lock.release()
