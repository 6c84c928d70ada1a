"""Gapless document numbers (SO-2026-000001): the sequence row is locked until the commit."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from models.outbox import DocumentSequence


def next_number(session: Session, series: str, year: int) -> str:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(DocumentSequence)
        .values(series=series, year=year, last=0)
        .on_conflict_do_nothing(index_elements=["series", "year"])
    )
    row = session.exec(
        select(DocumentSequence)
        .where(DocumentSequence.series == series, DocumentSequence.year == year)
        .with_for_update()
    ).one()
    row.last += 1
    session.add(row)
    return f"{series}-{year}-{row.last:06d}"
