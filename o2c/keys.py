"""The keys of the personal data encrypted at rest: loaded and checked at start-up, generated for
the embedded dev stack, and `o2c keys rotate`, which re-encrypts every value under the current
key in committed batches, so an interrupted rotation resumes where it stopped."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Column, String, Table, and_, func, inspect, or_, select, type_coerce
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from models.security.field_cipher import (
    FORMAT,
    INDEX_KEY_ID,
    KEY_ID_PATTERN,
    DataKeyError,
    EncryptedText,
    Keyring,
    decrypt,
    new_key,
    parse_keyring,
    use_keyring,
)
from models.tables import metadata
from o2c.db import engine_for
from o2c.settings import Settings, get_settings

KEYS_FILE = "data_keys"
BATCH_SIZE = 500

keys_app = typer.Typer(help="Keys of the customer data encrypted at rest.", no_args_is_help=True)


def keys_file(settings: Settings) -> Path:
    return settings.data_keys_file or settings.data_dir / KEYS_FILE


def load_keyring(settings: Settings) -> Keyring:
    """O2C_DATA_KEYS, else the keys file; the embedded SQLite database (the dev stack) gets a
    file generated on first start, as the token secret is. Anything else without keys stops."""
    if settings.data_keys:
        return parse_keyring(settings.data_keys, settings.data_key_current)
    path = keys_file(settings)
    if not path.exists():
        if settings.database_url or settings.data_keys_file:
            raise DataKeyError(
                f"no data keys: set O2C_DATA_KEYS or O2C_DATA_KEYS_FILE ({path} does not exist);"
                " `o2c keys new` prints a keyring"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fresh_keyring_text())
        path.chmod(0o600)
    return parse_keyring(path.read_text(), settings.data_key_current)


def fresh_keyring_text() -> str:
    stamp = time.strftime("%Y%m%d")
    return (
        "# o2c data keys (docs/security.md): back this file up apart from the database\n"
        f"{INDEX_KEY_ID}={new_key()}\nk{stamp}={new_key()}\n"
    )


def install_data_keys(settings: Settings) -> Keyring:
    """Start-up: the keyring for this process, proven to open what the database holds."""
    ring = load_keyring(settings)
    use_keyring(ring)
    check_keyring(engine_for(settings.sqlalchemy_url), ring)
    return ring


# --- which columns are encrypted, and which of their values are not under the current key -----


def encrypted_tables() -> list[tuple[Table, list[Column[str]]]]:
    found = []
    for table in metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, EncryptedText)]
        if columns:
            found.append((table, columns))
    return found


def _prefix(key_id: str) -> str:
    return f"{FORMAT}:{key_id}:"


def _under(column: Column[str], key_id: str) -> ColumnElement[bool]:
    raw = type_coerce(column, String())
    prefix = _prefix(key_id)
    return func.substr(raw, 1, len(prefix)) == prefix


def _stale(columns: list[Column[str]], current: str) -> ColumnElement[bool]:
    return or_(*(and_(c.is_not(None), ~_under(c, current)) for c in columns))


def check_keyring(engine: Engine, ring: Keyring) -> None:
    """Every key the stored values name is in the keyring, and each opens a value: a missing or
    wrong key stops the start with a clear error, never later with garbage."""
    for table, columns in encrypted_tables():
        if not _migrated(engine, table, columns):
            continue  # `o2c db upgrade` has not reached the encrypted schema yet
        with engine.connect() as conn:
            for column in columns:
                raw = type_coerce(column, String())
                known = or_(*(_under(column, key_id) for key_id in ring.keys))
                unknown = conn.execute(
                    select(raw).where(column.is_not(None), ~known).limit(1)
                ).scalar()
                if unknown is not None:
                    key_id = unknown.split(":")[1] if unknown.count(":") >= 2 else "(none)"
                    raise DataKeyError(
                        f"{table.name}.{column.name} holds values under key {key_id!r}, "
                        "which the keyring does not hold: add it to O2C_DATA_KEYS"
                    )
                for key_id in ring.keys:
                    sample = conn.execute(select(raw).where(_under(column, key_id)).limit(1))
                    for value in sample.scalars():
                        decrypt(value, _where(column), ring)


def _where(column: Column[str]) -> str:
    kind = column.type
    assert isinstance(kind, EncryptedText)
    return kind.where


def _migrated(engine: Engine, table: Table, columns: list[Column[str]]) -> bool:
    inspector = inspect(engine)
    if not inspector.has_table(table.name):
        return False
    present = {c["name"] for c in inspector.get_columns(table.name)}
    return all(c.name in present for c in columns)


# --- rotation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RotationProgress:
    done: int
    total: int
    rows_per_second: float


def count_stale(engine: Engine, current: str) -> int:
    total = 0
    with engine.connect() as conn:
        for table, columns in encrypted_tables():
            query = select(func.count()).select_from(table).where(_stale(columns, current))
            total += int(conn.execute(query).scalar_one())
    return total


def rotate(
    engine: Engine, ring: Keyring, batch_size: int = BATCH_SIZE
) -> Iterator[RotationProgress]:
    """Re-encrypts every value not under the current key with it, one committed batch at a time;
    yields after each. Stopped at any point, a new run picks up the rows still left."""
    total = count_stale(engine, ring.current)
    done = 0
    started = time.monotonic()
    for table, columns in encrypted_tables():
        key = list(table.primary_key.columns)[0]
        while True:
            with engine.begin() as conn:
                query = select(key, *columns).where(_stale(columns, ring.current))
                rows = conn.execute(query.order_by(key).limit(batch_size)).all()
                for row in rows:  # read through the column type: decrypted with its own key
                    values = {c.name: row._mapping[c] for c in columns}
                    conn.execute(table.update().where(key == row[0]).values(values))
            if not rows:
                break
            done += len(rows)
            elapsed = max(time.monotonic() - started, 1e-9)
            yield RotationProgress(done, max(total, done), done / elapsed)


def progress_line(progress: RotationProgress) -> str:
    share = progress.done / progress.total if progress.total else 1.0
    bar = "#" * int(share * 30)
    return (
        f"[{bar:<30}] {progress.done}/{progress.total} rows, {progress.rows_per_second:.0f} rows/s"
    )


@keys_app.command("rotate")
def rotate_command(
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per committed batch.")] = BATCH_SIZE,
) -> None:
    """Re-encrypt every value under the current key (O2C_DATA_KEY_CURRENT); run again to resume."""
    settings = get_settings()
    ring = _installed_or_exit(settings)
    engine = engine_for(settings.sqlalchemy_url)
    last = RotationProgress(0, 0, 0.0)
    for last in rotate(engine, ring, batch_size):
        typer.echo("\r" + progress_line(last), nl=False, err=True)
    if last.done:
        typer.echo("", err=True)
    typer.echo(f"every encrypted value is under key {ring.current!r} ({last.done} rows changed)")


@keys_app.command("new")
def new_command(
    key_id: Annotated[str, typer.Argument(help="Id of the new key, e.g. k20270101.")],
) -> None:
    """Print a new key line `ID=base64key` for the keyring (`index`: the blind index's key)."""
    if not KEY_ID_PATTERN.match(key_id):
        typer.echo("o2c: a key id is 1 to 32 letters, digits, _ or -", err=True)
        raise typer.Exit(1)
    typer.echo(f"{key_id}={new_key()}")


def start_with_data_keys(ctx: typer.Context) -> None:
    """Every `o2c` command but `o2c keys ...` starts by loading and checking the data keys."""
    if ctx.invoked_subcommand != "keys":
        _installed_or_exit(get_settings())


def _installed_or_exit(settings: Settings) -> Keyring:
    try:
        return install_data_keys(settings)
    except DataKeyError as exc:
        typer.echo(f"o2c could not start: {exc}", err=True)
        raise typer.Exit(1) from None
