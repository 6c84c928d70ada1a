"""PostgreSQL's pooled connections: one that died while it sat idle in the pool (a restarted
server, a dropped idle connection) is found dead and replaced before a command gets it, without
the round trip per checkout that `pool_pre_ping` cost (o2c/db.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from o2c import db
from o2c.db import engine_for
from tests.fixtures.databases import PG_ADMIN_URL, needs_postgresql, new_postgres_database


@needs_postgresql
def test_a_connection_that_died_while_idle_is_replaced_before_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with new_postgres_database("o2c_pool") as url:
        engine = engine_for(url)
        admin = engine_for(PG_ADMIN_URL)
        try:
            with engine.connect() as conn:
                first = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with admin.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
            monkeypatch.setattr(db, "PING_IDLE_AFTER", 0.0)  # as if it had sat idle for long

            with engine.connect() as conn:
                second = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()

            assert second != first
        finally:
            engine.dispose()
