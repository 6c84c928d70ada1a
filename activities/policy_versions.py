"""A policy kept as data in versions (the approval policy, credit scorecards, credit review
rules): the newest saved is in force, older ones stay readable, and a save adds a version (its
table is audited, so every save is in the audit trail). Each policy declares only what differs:
its table, what a version holds as it reads in the API, the version in force while none is saved,
and its own validation before it saves. Every version reads with who saved it, when, and whether
it is in force; the built-in one was saved by "system", never at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlmodel import Session, SQLModel, col, select

from activities.paging import page
from models.errors import NotFound

Row = TypeVar("Row", bound=SQLModel)
Public = TypeVar("Public", bound=SQLModel)


@dataclass(frozen=True)
class PolicyVersions(Generic[Row, Public]):
    table: type[Row]
    key: str  # the column numbering the versions (the newest is the largest)
    not_found: str  # the 404's words, `{}` standing for the version asked for
    public: type[Public]  # a version as read
    holds: Callable[[Row], dict[str, Any]]  # what a version holds, as `public` names it
    built_in: Callable[[], Row]  # the version in force while none is saved, as a row
    built_in_key: int | None = None  # its number, when it has one
    # Versions numbered here (not by the database): a first save stores the built-in version
    # before its own when the database was made without the migration.
    numbered_here: bool = False

    def _number(self, row: Row) -> int | None:
        number: int | None = getattr(row, self.key)
        return number

    def _read(self, row: Row, in_force: bool, saved: bool = True) -> Public:
        stamp = row.model_dump(include={"created_by", "created_at"})
        if not saved:
            stamp["created_at"] = None
        return self.public.model_validate({**self.holds(row), **stamp, "in_force": in_force})

    def _built_in(self, in_force: bool) -> Public:
        return self._read(self.built_in(), in_force, saved=False)

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
        return self._built_in(True) if latest is None else self._read(latest, True)

    def next_number(self, session: Session) -> int:
        """For versions numbered here: the number of the version about to be saved."""
        assert self.numbered_here, "the database numbers these versions"
        latest = self.latest(session)
        if latest is None:
            latest = self.built_in()
            session.add(latest)
        return (self._number(latest) or 0) + 1

    def save(self, session: Session, row: Row) -> Public:
        """`row`, validated by its policy, as the new version in force from now on."""
        session.add(row)
        session.flush()
        return self._read(row, True)

    def get(self, session: Session, number: int) -> Public:
        in_force = self.number_in_force(session) == number
        row = session.get(self.table, number)
        if row is not None:
            return self._read(row, in_force)
        if self.built_in_key is not None and number == self.built_in_key:
            return self._built_in(in_force)
        raise NotFound(self.not_found.format(number))

    def listed(self, session: Session, limit: int, offset: int) -> tuple[list[Public], int]:
        """Newest first, with the total count."""
        in_force = self.number_in_force(session)
        rows, total = page(session, self._newest_first(), limit, offset)
        return [self._read(row, self._number(row) == in_force) for row in rows], total
