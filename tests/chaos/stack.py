"""The chaos suite's stack: o2c's processes (o2c/process_stack.py), with a claim left by a killed
API taken over after 3 s so that retries finish within a test."""

from __future__ import annotations

from pathlib import Path

from o2c.process_stack import Stack as ProcessStack
from tests.support.data_keys import TEST_DATA_KEYS


class Stack(ProcessStack):
    def __init__(self, data_dir: Path, database_url: str, smtp_port: int) -> None:
        super().__init__(
            data_dir,
            database_url,
            smtp_port,
            name="chaos",
            idempotency_abandon_seconds="3",
            data_keys=TEST_DATA_KEYS,
        )
