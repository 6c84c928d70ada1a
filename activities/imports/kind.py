"""What one importable kind provides to the import pipeline (activities/imports/pipeline.py):
its columns, a check of one row (types and references, all errors at once), the row's natural
key, and the write of a batch of checked rows inside the import's one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from sqlmodel import Session

from models.imports.kinds import Column

if TYPE_CHECKING:
    from activities.imports.earlier import Earlier


@dataclass
class Written:
    """What a batch did: rows created, updated (with what changed) or found as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[dict[str, Any]] = field(default_factory=list)
    starts: int = 0  # workflows queued to start

    def add(self, other: Written) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.changes.extend(other.changes)
        self.starts += other.starts


@dataclass(frozen=True)
class WriteContext:
    """What a write needs beyond the rows: the job, the business date, the start rate."""

    job_id: int
    as_of: date
    starts_per_second: float


class KindImport(Protocol):
    columns: tuple[Column, ...]

    def prepare(self, session: Session) -> None:
        """Load what the row checks look up (existing keys, referenced records)."""

    def include(self, earlier: Earlier) -> None:
        """Add what the earlier sheets of the same upload bring to what `prepare` loaded."""

    def check(self, number: int, row: dict[str, object]) -> Any:
        """The row as the write takes it, or RowRefused."""

    def key(self, checked: Any) -> str:
        """The natural key: the same key twice in one file is refused."""

    def write(self, session: Session, batch: list[Any], context: WriteContext) -> Written:
        """Create what is new, update what changed; idempotent."""
