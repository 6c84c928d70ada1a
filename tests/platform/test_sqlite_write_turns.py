"""SQLite under concurrent commands (o2c/db.py): writers of one process take turns without SQLite's
busy-handler back-off, and what only reads waits for no writer. Real SQLite files, real threads."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from activities.numbering import next_number
from activities.transaction import (
    WriteInReadOnlyTransaction,
    reading,
    run_command,
    transaction,
)
from models.outbox import DocumentSequence
from tests.support.threads import at_once

# Long enough for a blocked thread to show it is blocked; the assertions are on what was read.
A_WHILE = 2.0


def _last(session: Session) -> int:
    row = session.exec(select(DocumentSequence).where(DocumentSequence.series == "SO")).first()
    return row.last if row else 0


def test_a_reader_is_not_blocked_by_a_writer_and_sees_what_was_committed(
    sqlite_engine: Engine,
) -> None:
    run_command(sqlite_engine, next_number, "SO", 2026)
    writing, read_done = threading.Event(), threading.Event()
    seen: list[int] = []

    def writer() -> None:
        with transaction(sqlite_engine) as session:
            next_number(session, "SO", 2026)
            session.flush()
            writing.set()
            # Holds its transaction open until the reader is through (or gives up waiting).
            read_done.wait(A_WHILE)

    def reader() -> None:
        writing.wait()
        with reading(sqlite_engine) as session:
            seen.append(_last(session))
        read_done.set()

    at_once([writer, reader])

    # The reader read during the writer's transaction: the number committed before it. A reader
    # queued behind the writer would have read 2, after the writer gave up waiting for it.
    assert seen == [1]
    with reading(sqlite_engine) as session:
        assert _last(session) == 2


def test_two_writers_never_read_then_write_over_each_other(sqlite_engine: Engine) -> None:
    run_command(sqlite_engine, next_number, "SO", 2026)
    first_read = threading.Event()

    def add_one(after: threading.Event | None) -> None:
        if after is not None:
            after.wait()
        with transaction(sqlite_engine) as session:
            row = session.exec(
                select(DocumentSequence).where(DocumentSequence.series == "SO")
            ).one()
            value = row.last
            if after is None:
                first_read.set()
                # The other writer is free to start now: it must wait for this commit.
                threading.Event().wait(A_WHILE / 4)
            row.last = value + 1
            session.add(row)

    at_once([lambda: add_one(None), lambda: add_one(first_read)])

    with reading(sqlite_engine) as session:
        assert _last(session) == 3


def test_many_concurrent_commands_number_gaplessly(sqlite_engine: Engine) -> None:
    numbers = at_once([lambda: run_command(sqlite_engine, next_number, "SO", 2026)] * 20)

    assert sorted(numbers) == [f"SO-2026-{n:06d}" for n in range(1, 21)]


def test_a_read_only_transaction_refuses_to_write_and_writes_nothing(engine: Engine) -> None:
    with pytest.raises(WriteInReadOnlyTransaction), reading(engine) as session:
        session.add(DocumentSequence(series="SO", year=2026, last=7))
        session.flush()

    with reading(engine) as session:
        assert _last(session) == 0


def test_a_command_that_wrote_over_what_it_had_not_seen_is_run_again(
    sqlite_engine: Engine,
) -> None:
    run_command(sqlite_engine, next_number, "SO", 2026)
    first_read, second_committed = threading.Event(), threading.Event()
    runs: list[int] = []

    def add_one_after_the_other_commits(session: Session) -> None:
        runs.append(_last(session))
        if len(runs) == 1:  # the first run: another command writes between its read and write
            first_read.set()
            second_committed.wait(A_WHILE)
        row = session.exec(select(DocumentSequence).where(DocumentSequence.series == "SO")).one()
        row.last = runs[-1] + 1
        session.add(row)

    def the_other() -> None:
        first_read.wait()
        run_command(sqlite_engine, next_number, "SO", 2026)
        second_committed.set()

    at_once([lambda: run_command(sqlite_engine, add_one_after_the_other_commits), the_other])

    # The first run read 1 and would have written 2 over the other's 2: SQLite refused, and the
    # command ran again, in its turn, reading 2.
    assert runs == [1, 2]
    with reading(sqlite_engine) as session:
        assert _last(session) == 3
