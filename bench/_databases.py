"""The database a bench run writes: a SQLite file in the run's folder, or a fresh database on a
PostgreSQL server (`o2c_bench_<random>`), dropped after the run."""

from __future__ import annotations

import argparse
import socket
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

LOCAL_POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgresql_answers(url: str = LOCAL_POSTGRESQL) -> bool:
    parsed = make_url(url)
    try:
        with socket.create_connection((parsed.host or "127.0.0.1", parsed.port or 5432), 1):
            return True
    except OSError:
        return False


def kind(url: str) -> str:
    """ "SQLite" or "PostgreSQL", for the report."""
    return "SQLite" if url.startswith("sqlite") else "PostgreSQL"


@contextmanager
def fresh_database(target: str, folder: Path) -> Iterator[str]:
    """`target` "sqlite" (or a sqlite URL): a new file in `folder`; a PostgreSQL URL names the
    server (and a database to connect to there): a new database on it, dropped afterwards."""
    if target.startswith("sqlite"):
        yield f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        return
    server = make_url(target)
    name = f"o2c_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def targets(given: list[str] | None) -> list[str]:
    """The databases to run on: those given, else SQLite and the local PostgreSQL when it
    answers."""
    if given:
        return [LOCAL_POSTGRESQL if t in {"postgresql", "postgres"} else t for t in given]
    return ["sqlite"] + ([LOCAL_POSTGRESQL] if postgresql_answers() else [])


def each_database(only: str | None) -> Iterator[tuple[str, str, Path]]:
    """For the benches with `--only sqlite|postgresql`: each run's name, fresh database URL and
    scratch folder (PostgreSQL only when it answers, else said and skipped)."""
    for name, target in (("sqlite", "sqlite"), ("postgresql", LOCAL_POSTGRESQL)):
        if only not in (None, name):
            continue
        if name == "postgresql" and not postgresql_answers():
            print("postgresql  skipped: no server answers on 127.0.0.1:5432")
            continue
        with tempfile.TemporaryDirectory() as folder, fresh_database(target, Path(folder)) as url:
            yield name, url, Path(folder)


def add_database_option(parser: argparse.ArgumentParser) -> None:
    """`--database`, repeatable; `targets(args.database)` turns it into the runs' databases."""
    parser.add_argument(
        "--database",
        action="append",
        help="sqlite, postgresql (the local server) or a PostgreSQL URL, where each run gets a "
        "fresh database; repeat for several (default: SQLite, and PostgreSQL when it answers)",
    )
