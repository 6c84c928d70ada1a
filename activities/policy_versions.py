"""A policy kept as data in versions (the approval policy, credit scorecards, credit review
rules): the newest saved is in force, older ones stay readable, and a save adds a version (its
table is audited, so every save is in the audit trail). Each policy declares only what differs:
its table, how a saved version reads in the API, the version in force while none is saved, and
its own validation before it saves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlmodel import Session, SQLModel, col, select

from activities.paging import page
from models.errors import NotFound

Row = TypeVar("Row", bound=SQLModel)
Public = TypeVar("Public")


@dataclass(frozen=True)
class PolicyVersions(Generic[Row, Public]):
    table: type[Row]
    key: str  # the column numbering the versions (the newest is the largest)
    not_found: str  # the 404's words, `{}` standing for the version asked for
    public: Callable[[Row, bool], Public]  # a saved version as read, and whether it is in force
    built_in: Callable[[bool], Public]  # the version in force while none is saved
    built_in_key: int | None = None  # its number, when it has one
    # Versions numbered here (not by the database): the built-in version as stored, which a
    # first save stores before its own when the database was made without the migration.
    first: Callable[[], Row] | None = None

    def _number(self, row: Row) -> int | None:
        number: int | None = getattr(row, self.key)
        return number

    def _newest_first(self) -> Any:
        return select(self.table).order_by(col(getattr(self.table, self.key)).desc())

    def latest(self, session: Session) -> Row | None:
        """The saved version in force (None while the built-in one is)."""
        latest: Row | None = session.exec(self._newest_first()).first()
        return latest

    def number_in_force(self, session: Session) -> int | None:
        latest = self.latest(session)
        return self.built_in_key if latest is None else self._number(latest)

    def current(self, session: Session) -> Public:
        latest = self.latest(session)
        return self.built_in(True) if latest is None else self.public(latest, True)

    def next_number(self, session: Session) -> int:
        """For versions numbered here (`first`): the number of the version about to be saved."""
        assert self.first is not None, "the database numbers these versions"
        latest = self.latest(session)
        if latest is None:
            latest = self.first()
            session.add(latest)
        return (self._number(latest) or 0) + 1

    def save(self, session: Session, row: Row) -> Public:
        """`row`, validated by its policy, as the new version in force from now on."""
        session.add(row)
        session.flush()
        return self.public(row, True)

    def get(self, session: Session, number: int) -> Public:
        in_force = self.number_in_force(session) == number
        row = session.get(self.table, number)
        if row is not None:
            return self.public(row, in_force)
        if self.built_in_key is not None and number == self.built_in_key:
            return self.built_in(in_force)
        raise NotFound(self.not_found.format(number))

    def listed(self, session: Session, limit: int, offset: int) -> tuple[list[Public], int]:
        """Newest first, with the total count."""
        in_force = self.number_in_force(session)
        rows, total = page(session, self._newest_first(), limit, offset)
        return [self.public(row, self._number(row) == in_force) for row in rows], total
