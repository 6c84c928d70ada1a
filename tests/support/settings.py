"""Settings for a test: its own data folder and task queue, a fixed signing key and payload key;
and the data converter every test's Temporal client and replayer use (payloads encrypted)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from temporalio.converter import DataConverter

from o2c.settings import Settings
from o2c.temporal import data_converter
from tests.support.data_keys import TEST_DATA_KEYS

PAYLOAD_KEYS = {"test-1": "dGVzdC1wYXlsb2FkLWtleS0zMi1ieXRlcy1sb25nLi4="}


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "secret_key": "test-secret-key-with-enough-length-for-hs256",
        "data_keys": TEST_DATA_KEYS,
        "task_queue": f"o2c-test-{time.time_ns()}",
        "payload_keys": PAYLOAD_KEYS,
    }
    values.update(overrides)
    return Settings(**values)


def encrypting_converter() -> DataConverter:
    """Encrypts with the tests' payload key, as the API and worker of a test do."""
    return data_converter(Settings(payload_keys=PAYLOAD_KEYS))
