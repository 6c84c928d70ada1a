"""Reading what commands wrote where no endpoint shows it: row counts, the outbox."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from models.outbox import OutboxMessage


def rows(engine: Engine, table: type[SQLModel]) -> int:
    """How many rows the table holds."""
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def outbox(engine: Engine, target: str | None = None) -> list[OutboxMessage]:
    """The outbox in the order written, or only what is addressed to one workflow."""
    with Session(engine) as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        found = session.exec(query).all()
        # The target is encrypted at rest (docs/security.md): compared once read.
        return [message for message in found if not target or message.target == target]
