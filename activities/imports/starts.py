"""The workflow starts an import queues in the outbox, spread out to the configured start rate:
the relay takes them as they fall due, so a million imported records do not start at once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from activities.imports.kind import WriteContext
from models.outbox import OutboxKind, OutboxMessage, OutboxState

OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]


class ThrottledStarts:
    """Each start due `queued / rate` seconds after now; one per workflow and import job."""

    def __init__(self) -> None:
        self.queued = 0

    def start(
        self,
        context: WriteContext,
        *,
        workflow_id: str,
        workflow: str,
        payload: dict[str, Any],
        now: datetime,
    ) -> dict[str, Any]:
        due = now + timedelta(seconds=self.queued / context.starts_per_second)
        self.queued += 1
        return {
            "key": f"start:{workflow_id}/import-{context.job_id}",
            "kind": OutboxKind.START_WORKFLOW,
            "state": OutboxState.PENDING,
            "target": workflow_id,
            "name": workflow,
            "payload": payload,
            "attempts": 0,
            "next_attempt_at": due,
            "created_at": now,
        }
