"""The production database roles (deploy/postgres/init-o2c-roles.sh, run by the postgres
container on a new volume), run for real on the local PostgreSQL: the migration role builds the
schema, the runtime role then reads and writes rows but can neither change the schema nor read
another database."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError
from sqlmodel import Session

from activities.security.users import authenticate, create_user
from models.security.users import Role, UserCreate
from o2c.bootstrap import upgrade_database
from tests.fixtures.databases import PG_ADMIN_URL, needs_postgresql

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "postgres" / "init-o2c-roles.sh"
LOCAL = "postgresql+psycopg://{role}@127.0.0.1:5432/{db}"


@dataclass(frozen=True)
class Roles:
    owner: str
    app: str
    temporal: str
    db: str


@pytest.fixture
def roles() -> Iterator[Roles]:
    """The script's roles and database under names of this test's own, dropped afterwards."""
    suffix = uuid.uuid4().hex[:8]
    made = Roles(f"owner_{suffix}", f"app_{suffix}", f"temporal_{suffix}", f"o2c_roles_{suffix}")
    env = {
        **os.environ,
        "PGHOST": "127.0.0.1",
        "POSTGRES_USER": "postgres",
        "O2C_DB_OWNER": made.owner,
        "O2C_DB_APP": made.app,
        "TEMPORAL_DB_USER": made.temporal,
        "O2C_DB": made.db,
        "DB_OWNER_PASSWORD": "owner-pw",
        "DB_APP_PASSWORD": "app-pw",
        "TEMPORAL_DB_PASSWORD": "temporal-pw",
    }
    try:
        subprocess.run(["sh", str(SCRIPT)], env=env, check=True, capture_output=True, timeout=60)
        yield made
    finally:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{made.db}" WITH (FORCE)'))
            for role in (made.owner, made.app, made.temporal):
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


@needs_postgresql
def test_the_runtime_role_uses_rows_but_cannot_change_the_schema(roles: Roles) -> None:
    upgrade_database(LOCAL.format(role=roles.owner, db=roles.db))
    app = create_engine(LOCAL.format(role=roles.app, db=roles.db))
    try:
        with Session(app) as session, session.begin():
            data = UserCreate(username="mia", password="mauve-kettle-drum-77", roles=[Role.SALES])
            create_user(session, data)
        with Session(app) as session:
            assert authenticate(session, "mia", "mauve-kettle-drum-77") is not None
        for ddl in (
            'DROP TABLE "user"',
            'ALTER TABLE "user" ADD COLUMN evil text',
            "CREATE TABLE evil (id int)",
            "TRUNCATE customer",
        ):
            with app.connect() as conn, pytest.raises(ProgrammingError, match="denied|owner"):
                conn.execute(text(ddl))
    finally:
        app.dispose()


@needs_postgresql
def test_the_runtime_and_temporal_roles_are_no_superusers(roles: Roles) -> None:
    admin = create_engine(PG_ADMIN_URL)
    with admin.connect() as conn:
        found = conn.execute(
            text(
                "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles"
                " WHERE rolname IN (:owner, :app, :temporal)"
            ),
            {"owner": roles.owner, "app": roles.app, "temporal": roles.temporal},
        ).all()
    admin.dispose()

    rights = {name: (sup, createdb, createrole) for name, sup, createdb, createrole in found}
    assert rights == {
        roles.owner: (False, False, False),
        roles.app: (False, False, False),
        roles.temporal: (False, True, False),  # auto-setup creates Temporal's databases
    }


@needs_postgresql
def test_the_runtime_role_cannot_connect_to_other_databases_it_was_not_given(
    roles: Roles,
) -> None:
    """PUBLIC loses CONNECT on the o2c database: a role made later gets no way in by default."""
    other = create_engine(LOCAL.format(role=roles.temporal, db=roles.db))
    try:
        with pytest.raises(Exception, match="permission denied"), other.connect():
            pass
    finally:
        other.dispose()
