"""The keys of the personal data encrypted at rest: loaded and checked at start-up, generated for
the embedded dev stack, and `o2c keys rotate`, which re-encrypts every value under the current
key and re-hashes every blind index under the current index key in committed batches, so an
interrupted rotation resumes where it stopped."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import (
    Column,
    LargeBinary,
    String,
    Table,
    func,
    inspect,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from models.master_data.customer_lookup import normal_email, normal_tax_id
from models.master_data.customers import Customer
from models.security.field_cipher import (
    INDEX_KEY_ID,
    KEY_ID_PATTERN,
    DataKeyError,
    EncryptedBytes,
    EncryptedText,
    Keyring,
    blind_index,
    new_key,
    parse_keyring,
    unseal,
    use_keyring,
)
from models.security.key_ids import stored_key_id
from models.tables import metadata
from o2c.db import engine_for
from o2c.settings import Settings, get_settings

KEYS_FILE = "data_keys"
BATCH_SIZE = 500
CUSTOMERS: Table = Customer.__table__  # type: ignore[attr-defined]

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


def encrypted_tables() -> list[tuple[Table, list[Column[Any]]]]:
    found = []
    for table in metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, EncryptedText | EncryptedBytes)]
        if columns:
            found.append((table, columns))
    return found


def _stale(columns: list[Column[Any]], current: str) -> ColumnElement[bool]:
    return or_(*(stored_key_id(c) != current for c in columns))


def _unindexed(index_current: str) -> ColumnElement[bool]:
    key = CUSTOMERS.c.index_key
    return or_(key.is_(None), key != index_current)


def key_ids_in(conn: Connection, expression: ColumnElement[Any]) -> list[str]:
    """The distinct values of an indexed expression, smallest first, one index seek each: as
    fast on a huge table as on a small one, for the few key ids a column holds."""
    found: list[str] = []
    while True:
        # '' is the least text: `>= ''` skips NULLs through the index (a scan would walk them)
        after = expression > found[-1] if found else expression >= ""
        query = select(expression).where(after).order_by(expression).limit(1)
        key_id = conn.execute(query).scalar()
        if key_id is None:
            return found
        found.append(key_id)


def check_keyring(engine: Engine, ring: Keyring) -> None:
    """Every key the stored values name is in the keyring, and each opens a value: a missing or
    wrong key stops the start with a clear error, never later with garbage. Bounded: per column
    one index seek per key id it holds (models/security/key_ids.py), whatever its row count."""
    with engine.connect() as conn:
        stored = _stored_columns(conn)
        for table, columns in encrypted_tables():
            kinds = stored.get(table.name, {})
            for column in columns:
                # Not yet upgraded (`o2c db upgrade` starts with this check): stored PDFs were
                # plain bytes before migration 0022.
                if column.name in kinds and not isinstance(kinds[column.name], LargeBinary):
                    _check_column(conn, column, ring)
        if "index_key" in stored.get(CUSTOMERS.name, {}):
            _check_index_keys(conn, ring)


def _stored_columns(conn: Connection) -> dict[str, dict[str, Any]]:
    """The database's encrypted tables as it holds them: their columns' types by name, in one
    reflection."""
    names = [table.name for table, _ in encrypted_tables()]
    found = inspect(conn).get_multi_columns(filter_names=names)
    return {name: {c["name"]: c["type"] for c in columns} for (_, name), columns in found.items()}


def _check_column(conn: Connection, column: Column[Any], ring: Keyring) -> None:
    key_ids = key_ids_in(conn, stored_key_id(column))
    for key_id in key_ids:
        if key_id not in ring.keys:
            raise DataKeyError(
                f"{column.table.name}.{column.name} holds values under key "
                f"{key_id or '(none)'!r}, which the keyring does not hold: add it to O2C_DATA_KEYS"
            )
    raw = type_coerce(column, String())
    for key_id in key_ids:
        sample = conn.execute(select(raw).where(stored_key_id(column) == key_id).limit(1))
        for value in sample.scalars():
            unseal(value, _where(column), ring)


def _check_index_keys(conn: Connection, ring: Keyring) -> None:
    """The lookup hashes are under index keys the keyring holds, and each key makes the hash a
    customer keeps (a wrong key would find nobody)."""
    customers = CUSTOMERS.c
    for key_id in key_ids_in(conn, customers.index_key):
        key = ring.index_keys.get(key_id)
        if key is None:
            raise DataKeyError(
                f"customer.email_index holds lookup hashes under index key {key_id!r}, which the "
                "keyring does not hold: add it to O2C_DATA_KEYS"
            )
        query = select(customers.email, customers.email_index).where(customers.index_key == key_id)
        for email, hashed in conn.execute(query.limit(1)):
            only = replace(ring, index_keys={key_id: key}, index_current=key_id)
            if blind_index(normal_email(email), only) != hashed:
                raise DataKeyError(
                    f"index key {key_id!r} does not make the lookup hashes in customer.email_index:"
                    " the key is not the one they were made with (O2C_DATA_KEYS)"
                )


def _where(column: Column[Any]) -> str:
    kind = column.type
    assert isinstance(kind, EncryptedText | EncryptedBytes)
    return kind.where


# --- rotation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RotationProgress:
    done: int
    total: int
    rows_per_second: float


def count_stale(engine: Engine, current: str) -> int:
    """Rows with a value not under the data key `current`."""
    total = 0
    with engine.connect() as conn:
        for table, columns in encrypted_tables():
            query = select(func.count()).select_from(table).where(_stale(columns, current))
            total += int(conn.execute(query).scalar_one())
    return total


def count_unindexed(engine: Engine, index_current: str) -> int:
    """Customers whose lookup hashes are not under the index key `index_current`."""
    query = select(func.count()).select_from(CUSTOMERS).where(_unindexed(index_current))
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def rotate(
    engine: Engine, ring: Keyring, batch_size: int = BATCH_SIZE
) -> Iterator[RotationProgress]:
    """Re-encrypts every value not under the current key with it, then re-hashes every
    customer's lookup hashes not under the current index key, one committed batch at a time;
    yields after each. Stopped at any point, a new run picks up the rows still left."""
    total = count_stale(engine, ring.current) + count_unindexed(engine, ring.index_current)
    done = 0
    started = time.monotonic()
    for batch in _reencrypted(engine, ring, batch_size):
        done += batch
        elapsed = max(time.monotonic() - started, 1e-9)
        yield RotationProgress(done, max(total, done), done / elapsed)
    for batch in _reindexed(engine, ring, batch_size):
        done += batch
        elapsed = max(time.monotonic() - started, 1e-9)
        yield RotationProgress(done, max(total, done), done / elapsed)


def _reencrypted(engine: Engine, ring: Keyring, batch_size: int) -> Iterator[int]:
    for table, columns in encrypted_tables():
        key = list(table.primary_key.columns)[0]
        while True:
            with engine.begin() as conn:
                query = select(key, *columns).where(_stale(columns, ring.current))
                query = query.order_by(key).limit(batch_size).with_for_update()
                rows = conn.execute(query).all()
                for row in rows:  # read through the column type: decrypted with its own key
                    values = {c.name: row._mapping[c] for c in columns}
                    conn.execute(table.update().where(key == row[0]).values(values))
            if not rows:
                break
            yield len(rows)


def _reindexed(engine: Engine, ring: Keyring, batch_size: int) -> Iterator[int]:
    customers = CUSTOMERS.c
    while True:
        with engine.begin() as conn:
            query = select(customers.id, customers.email, customers.tax_id)
            query = query.where(_unindexed(ring.index_current)).order_by(customers.id)
            rows = conn.execute(query.limit(batch_size).with_for_update()).all()
            for row in rows:
                hashes = {
                    "email_index": _hashed(normal_email(row.email or ""), ring),
                    "tax_id_index": _hashed(normal_tax_id(row.tax_id or ""), ring),
                    "index_key": ring.index_current,
                }
                conn.execute(CUSTOMERS.update().where(customers.id == row.id).values(hashes))
        if not rows:
            return
        yield len(rows)


def _hashed(normalised: str, ring: Keyring) -> str | None:
    return blind_index(normalised, ring) if normalised else None


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
    """Re-encrypt every value under the current key (O2C_DATA_KEY_CURRENT) and re-hash every
    lookup hash under the last index key listed; run again to resume."""
    settings = get_settings()
    ring = _installed_or_exit(settings)
    engine = engine_for(settings.sqlalchemy_url)
    last = RotationProgress(0, 0, 0.0)
    for last in rotate(engine, ring, batch_size):
        typer.echo("\r" + progress_line(last), nl=False, err=True)
    if last.done:
        typer.echo("", err=True)
    typer.echo(
        f"every encrypted value is under key {ring.current!r} ({last.done} rows changed), every"
        f" lookup hash under index key {ring.index_current!r}"
    )


@keys_app.command("new")
def new_command(
    key_id: Annotated[str, typer.Argument(help="Id of the new key, e.g. k20270101.")],
) -> None:
    """Print a new key line `ID=base64key` for the keyring (`index`, `index-...`: a key of the
    blind index)."""
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
