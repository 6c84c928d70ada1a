"""Warehouses: create and list; the default one exists as soon as it is first used."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.errors import Conflict, NotFound
from models.fulfilment.stock import DEFAULT_WAREHOUSE
from models.fulfilment.warehouses import Warehouse, WarehouseCreate, WarehousePublic


def require_warehouse(session: Session, code: str) -> Warehouse:
    """The active warehouse with this code; the default one is created on first use."""
    warehouse = _find(session, code)
    if warehouse is None and code == DEFAULT_WAREHOUSE:
        try:
            return _create(session, WarehouseCreate(code=code, name="Main warehouse"))
        except Conflict:  # a concurrent first receipt created it
            warehouse = _find(session, code)
    if warehouse is None or not warehouse.active:
        raise NotFound(f"warehouse {code!r} does not exist", field="warehouse")
    return warehouse


def _find(session: Session, code: str) -> Warehouse | None:
    return session.exec(select(Warehouse).where(Warehouse.code == code)).first()


def _create(session: Session, data: WarehouseCreate) -> Warehouse:
    taken = Conflict(f"warehouse {data.code!r} already exists", field="code")
    if _find(session, data.code):
        raise taken
    warehouse = Warehouse.model_validate(data)
    try:
        with session.begin_nested():
            session.add(warehouse)
    except IntegrityError as exc:  # created by a concurrent request after the check
        raise taken from exc
    return warehouse


def create_warehouse(session: Session, data: WarehouseCreate) -> WarehousePublic:
    return WarehousePublic.model_validate(_create(session, data))


def list_warehouses(session: Session) -> list[WarehousePublic]:
    rows = session.exec(select(Warehouse).order_by(col(Warehouse.code))).all()
    return [WarehousePublic.model_validate(w) for w in rows]
