"""How far a running import got, for the CLI's progress bar and `GET /imports/{id}`: kept in
memory, since the import's own transaction holds the database until it commits."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Progress:
    phase: str = "validating"
    done: int = 0
    total: int | None = None
    started: float = field(default_factory=time.monotonic)

    def begin(self, phase: str, total: int | None = None) -> None:
        self.phase, self.done, self.total, self.started = phase, 0, total, time.monotonic()

    def advance(self, rows: int = 1) -> None:
        self.done += rows

    @property
    def rows_per_second(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        rate = self.rows_per_second
        if self.total is None or rate <= 0:
            return None
        return max(0.0, (self.total - self.done) / rate)


# The imports running in this process, by job id.
RUNNING: dict[int, Progress] = {}
