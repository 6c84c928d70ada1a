"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Enum, create_engine, text

from models.tables import metadata
from o2c.bootstrap import upgrade_database
from tests.fixtures.databases import DATABASES, new_postgres_database


@pytest.fixture(params=DATABASES)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    with new_postgres_database("o2c_migrate") as url:
        yield url


def test_migrations_build_the_schema_of_the_models(empty_database_url: str) -> None:
    upgrade_database(empty_database_url)
    upgrade_database(empty_database_url)  # a second upgrade is a no-op
    engine = create_engine(empty_database_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert differences == []


def test_every_enum_column_accepts_every_value_of_its_enum(empty_database_url: str) -> None:
    """On PostgreSQL each enum column has a type of its own: approval tasks and collection tasks
    both have a status, and neither may be refused the other's values."""
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("SQLite stores enums as plain strings")
    upgrade_database(empty_database_url)
    engine = create_engine(empty_database_url)
    with engine.connect() as conn:
        labels = conn.execute(
            text(
                "SELECT c.table_name, c.column_name, e.enumlabel FROM information_schema.columns c"
                " JOIN pg_type t ON t.typname = c.udt_name JOIN pg_enum e ON e.enumtypid = t.oid"
            )
        ).all()
    engine.dispose()
    in_database: dict[tuple[str, str], set[str]] = {}
    for table, column, label in labels:
        in_database.setdefault((table, column), set()).add(label)
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Enum):
                wanted = set(column.type.enums)
                assert in_database.get((table.name, column.name)) == wanted, (table, column)
