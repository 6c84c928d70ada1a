"""Settings for a test: its own data folder and task queue, a fixed signing key."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from o2c.settings import Settings
from tests.support.data_keys import TEST_DATA_KEYS


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "secret_key": "test-secret-key-with-enough-length-for-hs256",
        "data_keys": TEST_DATA_KEYS,
        "task_queue": f"o2c-test-{time.time_ns()}",
    }
    values.update(overrides)
    return Settings(**values)
