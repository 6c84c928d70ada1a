"""`o2c run` outlives its Temporal dev server: a child killed with SIGKILL is started again (a
log line says so) and health answers ok again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from o2c.devstack import temporal_binary
from tests.fixtures.temporal import BIN
from tests.platform.test_devstack import Stack, dev_settings


def _health(api: str) -> str:
    try:
        with urllib.request.urlopen(f"{api}/health", timeout=10) as response:
            return str(json.load(response)["status"])
    except urllib.error.HTTPError as exc:
        return str(json.load(exc)["status"])
    except OSError:
        return "no answer"


def _temporal_child(stack: Stack) -> int:
    found = subprocess.run(
        ["pgrep", "-P", str(stack.process.pid)], capture_output=True, text=True
    ).stdout.split()
    assert len(found) == 1, found
    return int(found[0])


def _eventually(check: str, probe: Callable[[], bool], timeout: float = 90) -> None:
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if probe():
            return
        time.sleep(0.2)
    pytest.fail(f"{check} not within {timeout} s")


@pytest.mark.skipif(not (BIN / "o2c").exists() or temporal_binary() is None, reason="no o2c")
def test_the_dev_stack_restarts_a_killed_temporal_dev_server(tmp_path: Path) -> None:
    settings = dev_settings(tmp_path)
    stack = Stack(settings, tmp_path / "stack.log")
    try:
        stack.wait_ready(timeout=240)
        assert _health(stack.api) == "ok"
        killed = _temporal_child(stack)

        os.kill(killed, signal.SIGKILL)

        _eventually(
            "a restart log line",
            lambda: "the Temporal dev server exited with code -9; restarting it" in stack.output,
        )
        _eventually("health ok", lambda: _health(stack.api) == "ok")
        assert stack.process.poll() is None, stack.output
        assert _temporal_child(stack) != killed
        stack.interrupt()
    finally:
        stack.kill()
