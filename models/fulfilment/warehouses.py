"""Warehouses: the places stock is kept. `MAIN` exists from the first receipt on."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import timestamp_field
from models.fields import Code, Line


class WarehouseBase(SQLModel):
    code: str = Field(min_length=1, max_length=32, regex=r"^[A-Z0-9_-]+$")
    name: str = Field(min_length=1, max_length=200)


class Warehouse(WarehouseBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    active: bool = True
    created_at: datetime = timestamp_field()


class WarehouseCreate(WarehouseBase):
    code: Code = Field(max_length=32, regex=r"^[A-Z0-9_-]+$")
    name: Line = Field(max_length=200)


class WarehousePublic(WarehouseBase):
    id: int
    active: bool
