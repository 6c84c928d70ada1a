"""The data key check every `o2c` command makes at start-up, on a large outbox: the check as it
was (each encrypted column read for a key id the keyring lacks: a scan of every row) against the
check now (`o2c/keys.py: check_keyring`, one index seek per key id a column holds), in one run,
at a small and a large outbox, on SQLite and, when it answers, the local PostgreSQL.

    python -m bench keyring_check [--rows 100000] [--runs 5] [--database sqlite|URL|both]"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Column, String, func, insert, or_, select, type_coerce
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers every table)
from bench._databases import LOCAL_POSTGRESQL, fresh_database, kind, postgresql_answers
from models.base import utcnow
from models.outbox import OutboxKind, OutboxMessage, OutboxState
from models.security.field_cipher import Keyring, keyring, unseal
from o2c.db import engine_for
from o2c.keys import _where, check_keyring, encrypted_tables

SMALL = 1000
BATCH = 5000


def _seed(engine: Engine, rows: int) -> None:
    """`rows` sent mails in the outbox, each recipient encrypted as the app writes it."""
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    now = utcnow()
    with engine.begin() as conn:
        done = conn.execute(select(func.count()).select_from(table)).scalar_one()
        for start in range(done, rows, BATCH):
            batch = [
                {
                    "key": f"invoice-{i}/email/issued",
                    "kind": OutboxKind.EMAIL,
                    "state": OutboxState.SENT,
                    "target": f"ap{i}@example.com",  # encrypted by its column type
                    "name": f"Invoice INV-{i}",
                    "payload": {},
                    "attempts": 1,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for i in range(start, min(start + BATCH, rows))
            ]
            conn.execute(insert(table), batch)


def _under(column: Column[str], key_id: str):  # type: ignore[no-untyped-def]
    prefix = f"v1:{key_id}:"
    return func.substr(type_coerce(column, String()), 1, len(prefix)) == prefix


def scanning_check(engine: Engine, ring: Keyring) -> None:
    """The check before migration 0022, kept here as the baseline."""
    with engine.connect() as conn:
        for _table, columns in encrypted_tables():
            for column in columns:
                raw = type_coerce(column, String())
                known = or_(*(_under(column, key_id) for key_id in ring.keys))
                query = select(raw).where(column.is_not(None), ~known).limit(1)
                if conn.execute(query).scalar() is not None:
                    raise SystemExit("a key is missing")
                for key_id in ring.keys:
                    sample = conn.execute(select(raw).where(_under(column, key_id)).limit(1))
                    for value in sample.scalars():
                        unseal(value, _where(column), ring)


def _best(check: Callable[[Engine, Keyring], None], engine: Engine, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        check(engine, keyring())
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _measure(url: str, rows: int, runs: int) -> None:
    engine = engine_for(url)
    SQLModel.metadata.create_all(engine)
    for size in (SMALL, rows):
        _seed(engine, size)
        before = _best(scanning_check, engine, runs)
        now = _best(check_keyring, engine, runs)
        print(
            f"{kind(url)}, {size:>8} outbox rows: check as it was {before * 1000:8.1f} ms, "
            f"now {now * 1000:6.1f} ms (ratio {before / now:6.1f}x)"
        )
    engine.dispose()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench keyring_check")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", default="both", help="sqlite, a PostgreSQL URL, or both")
    args = parser.parse_args(argv)
    targets = [args.database] if args.database != "both" else ["sqlite"]
    if args.database == "both" and postgresql_answers():
        targets.append(LOCAL_POSTGRESQL)
    with tempfile.TemporaryDirectory() as folder:
        for target in targets:
            with fresh_database(target, Path(folder)) as url:
                _measure(url, args.rows, args.runs)
