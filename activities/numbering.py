"""Gapless document numbers (SO-2026-000001): the sequence row is locked until the commit."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from models.outbox import DocumentSequence


def next_number(session: Session, series: str, year: int) -> str:
    """One statement takes the next number and locks the series' row to the commit: the row
    serialises every document of the series, so nothing else waits on it a round trip longer."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    taken = session.execute(
        insert(DocumentSequence)
        .values(series=series, year=year, last=1)
        .on_conflict_do_update(
            index_elements=["series", "year"], set_={"last": col(DocumentSequence.last) + 1}
        )
        .returning(col(DocumentSequence.last))
    ).scalar_one()
    return f"{series}-{year}-{taken:06d}"
