"""A collector's worklist as people read it: each task with whom to call and how, and the
outcomes already logged on it."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import SQLModel

from models.collection.tasks import CollectionTaskPublic, Outcome
from models.money import Amount


class WorklistCustomer(SQLModel):
    customer_id: int
    name: str
    email: str
    phone: str | None
    language: str
    currency: str
    open_items: int  # invoices with something outstanding
    open_amount: Amount


class WorklistEntry(SQLModel):
    task: CollectionTaskPublic
    customer: WorklistCustomer
    dunning_level: int


class OutcomePublic(SQLModel):
    outcome: Outcome
    note: str
    by: str
    promised_date: date | None
    amount: Amount | None
    at: datetime
