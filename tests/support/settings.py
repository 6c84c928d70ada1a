"""Settings for a test: its own data folder and task queue, a fixed signing key."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from o2c.settings import Settings


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "secret_key": "test-secret-key-with-enough-length-for-hs256",
        "task_queue": f"o2c-test-{time.time_ns()}",
    }
    values.update(overrides)
    return Settings(**values)
