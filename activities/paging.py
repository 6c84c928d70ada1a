"""One way to page a list query: the page of rows and the total count."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

T = TypeVar("T")


def page(
    session: Session, query: SelectOfScalar[T], limit: int, offset: int
) -> tuple[list[T], int]:
    total_query: Any = select(func.count()).select_from(query.order_by(None).subquery())
    total = session.exec(total_query).one()
    rows = session.exec(query.offset(offset).limit(limit)).all()
    return list(rows), int(total)
