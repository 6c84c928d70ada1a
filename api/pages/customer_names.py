"""The names of the customers a page's rows belong to, read at once."""

from __future__ import annotations

from collections.abc import Collection

from sqlmodel import Session, col, select

from models.master_data.customers import Customer


def customer_names(session: Session, ids: Collection[int]) -> dict[int, str]:
    query = select(Customer.id, Customer.name).where(col(Customer.id).in_(list(ids)))
    return {id_: name for id_, name in session.exec(query).all() if id_ is not None} if ids else {}
