"""The audit trail's hash chain: each row carries sha256 over its own canonical JSON and the
hash of the row before it, so changing or removing any row breaks every hash after it. Rows are
appended one writer at a time (an advisory lock on PostgreSQL, SQLite's write lock elsewhere),
so concurrent commands still form one chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, text
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from models.security.audit import AuditEvent

GENESIS = "0" * 64
# pg_advisory_xact_lock key: "audit" in ASCII, held until the command commits.
CHAIN_LOCK = 0x6175646974
HASHED_FIELDS = (
    "occurred_at",
    "actor",
    "address",
    "request_id",
    "entity_type",
    "entity_id",
    "action",
    "before",
    "after",
)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def row_hash(row: dict[str, Any], previous_hash: str) -> str:
    hashed = {field: row[field] for field in HASHED_FIELDS}
    when: datetime = hashed["occurred_at"]
    hashed["occurred_at"] = when.astimezone(UTC).isoformat()
    return hashlib.sha256((canonical_json(hashed) + previous_hash).encode()).hexdigest()


_TABLE = AuditEvent.__table__  # type: ignore[attr-defined]
# Built once: statements with their values bound per call are compiled once and cached.
_HEAD = select_columns(_TABLE.c.hash).order_by(_TABLE.c.id.desc()).limit(1)
_APPEND = insert(_TABLE)


def append(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Appends the rows (AuditEvent's fields but id and the hashes) at the chain's head."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    previous = connection.execute(_HEAD).scalar_one_or_none() or GENESIS
    chained = []
    for row in rows:
        digest = row_hash(row, previous)
        chained.append({**row, "previous_hash": previous, "hash": digest})
        previous = digest
    connection.execute(_APPEND, chained)


@dataclass
class ChainCheck:
    rows: int
    broken_at: int | None = None
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session, batch: int = 1000) -> ChainCheck:
    """Walks the chain from its first row: the first row whose hash does not follow is named."""
    previous, checked, after_id = GENESIS, 0, 0
    while True:
        events = session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.id) > after_id)
            .order_by(col(AuditEvent.id))
            .limit(batch)
        ).all()
        for found in events:
            assert found.id is not None
            if found.previous_hash != previous:
                return ChainCheck(checked, found.id, "does not follow the row before it")
            if row_hash(found.model_dump(), previous) != found.hash:
                return ChainCheck(checked, found.id, "its content was changed after it was written")
            previous, checked, after_id = found.hash, checked + 1, found.id
        if len(events) < batch:
            return ChainCheck(checked)
