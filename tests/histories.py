"""Workflow histories for the replay test: with O2C_RECORD_HISTORIES=DIR set, the workflow
fixtures write every workflow a test ran to DIR as JSON (`tests/replay/` replays them)."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from temporalio.client import Client
from temporalio.service import RPCError

RECORD_DIR = os.environ.get("O2C_RECORD_HISTORIES")


async def record_histories(
    client: Client, test_name: str, runs: list[tuple[str, str | None]]
) -> None:
    """Writes the history of each (workflow id, run id) the test ran, when recording is on."""
    if not RECORD_DIR:
        return
    folder = Path(RECORD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
    for workflow_id, run_id in runs:
        with contextlib.suppress(RPCError):
            history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
            (folder / f"{stem}--{workflow_id}.json").write_text(history.to_json())
