"""What a request leaves in the database: every table's rows, hashed, so a refused request can be
shown to have written nothing."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

# Written on purpose when a request is refused or before it runs: the idempotency claim and the
# security record of failed logins and denials (where those tables exist).
KEPT_ON_REFUSAL = {"idempotentresponse", "idempotent_response", "audit_event", "login_attempt"}


def footprint(engine: Engine) -> dict[str, str]:
    """A digest of each table's rows, in primary-key order."""
    digests = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in KEPT_ON_REFUSAL:
                continue
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))
