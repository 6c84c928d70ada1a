"""The audit trail cannot be changed unseen: every row follows the hash of the one before it,
`o2c audit verify` names the first row that does not, concurrent writers still form one chain,
and PostgreSQL refuses to update or delete a row at all."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from activities.master_data.customers import create_customer, update_customer
from activities.security.audit_chain import verify_chain
from activities.transaction import run_command, transaction
from models.master_data.customers import CustomerCreate, CustomerUpdate
from o2c.bootstrap import upgrade_database
from o2c.cli import app
from o2c.settings import get_settings
from tests.fixtures.databases import needs_postgresql, new_postgres_database
from tests.support.threads import at_once


def new_customer(engine: Engine, code: str) -> int:
    data = CustomerCreate(code=code, name=f"{code} Ltd", email=f"ap@{code.lower()}.example")
    return run_command(engine, create_customer, data).id


def raise_limit(engine: Engine, customer_id: int, limit: str) -> None:
    run_command(engine, update_customer, customer_id, CustomerUpdate(credit_limit=Decimal(limit)))


def verify(url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """`o2c audit verify` on that database: its exit code and what it printed."""
    monkeypatch.setenv("O2C_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["audit", "verify"])
    finally:
        get_settings.cache_clear()
    return result.exit_code, result.output


@pytest.fixture
def tamper_freely(engine: Engine) -> Iterator[None]:
    """As someone with the database's owner rights would: PostgreSQL's guard switched off."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))


def test_verify_proves_an_untouched_trail_intact(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer_id = new_customer(engine, "C1")
    raise_limit(engine, customer_id, "500.00")

    code, output = verify(engine.url.render_as_string(hide_password=False), monkeypatch)

    assert code == 0, output
    assert "audit trail intact: 2 events" in output


@pytest.mark.usefixtures("tamper_freely")
def test_a_row_changed_behind_the_apps_back_is_caught_where_it_breaks(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer_id = new_customer(engine, "C1")
    raise_limit(engine, customer_id, "500.00")
    raise_limit(engine, customer_id, "900.00")
    with engine.begin() as conn:
        second = conn.execute(text("SELECT id FROM audit_event ORDER BY id LIMIT 1 OFFSET 1"))
        tampered = second.scalar_one()
        conn.execute(
            text("UPDATE audit_event SET after = :after WHERE id = :id"),
            {"after": '{"credit_limit":"50000.00"}', "id": tampered},
        )

    code, output = verify(engine.url.render_as_string(hide_password=False), monkeypatch)

    assert code == 1
    assert f"BROKEN at event {tampered}: its content was changed" in output
    assert "(1 events before it are intact)" in output


@pytest.mark.usefixtures("tamper_freely")
def test_a_row_removed_from_the_middle_is_caught(engine: Engine) -> None:
    customer_id = new_customer(engine, "C1")
    for limit in ("100.00", "200.00", "300.00"):
        raise_limit(engine, customer_id, limit)
    with engine.begin() as conn:
        ids = list(conn.execute(text("SELECT id FROM audit_event ORDER BY id")).scalars())
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[1]})

    with transaction(engine) as session:
        check = verify_chain(session)

    assert (check.broken_at, check.reason) == (ids[2], "does not follow the row before it")


def test_concurrent_writers_still_form_one_chain(engine: Engine) -> None:
    customers = [new_customer(engine, f"C{n}") for n in range(6)]

    at_once([lambda c=c: raise_limit(engine, c, "777.00") for c in customers])  # type: ignore[misc]

    with transaction(engine) as session:
        check = verify_chain(session)
    assert check.intact, check
    assert check.rows == 12


@needs_postgresql
def test_postgresql_refuses_to_update_or_delete_an_audit_row(pg_engine: Engine) -> None:
    new_customer(pg_engine, "C1")

    for statement in ("UPDATE audit_event SET actor = 'mallory'", "DELETE FROM audit_event"):
        refused = pytest.raises(DBAPIError, match="audit_event is append-only")
        with refused, pg_engine.begin() as conn:
            conn.execute(text(statement))

    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_event")).scalar_one() == "system"


@needs_postgresql
def test_the_migrated_postgresql_database_refuses_changes_too(tmp_path: Path) -> None:
    with new_postgres_database("o2c_audit") as url:
        upgrade_database(url)
        engine = create_engine(url)
        try:
            new_customer(engine, "C1")
            refused = pytest.raises(DBAPIError, match="append-only: UPDATE refused")
            with refused, engine.begin() as conn:
                conn.execute(text("UPDATE audit_event SET actor = 'mallory'"))
        finally:
            engine.dispose()
