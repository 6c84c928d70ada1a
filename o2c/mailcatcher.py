"""The dev stack's SMTP catcher: an aiosmtpd server that keeps every mail as an .eml file
(listed at /ui/outbox). Tests use it as their real SMTP server."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

_counter = itertools.count()


class MailboxHandler:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}-{next(_counter)}"
        (self.folder / f"{name}.eml").write_bytes(content)
        return "250 Message accepted for delivery"


class MailCatcher:
    """Start with `start()`, stop with `stop()`; `messages()` reads what arrived."""

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 1025) -> None:
        self.folder = folder
        self.controller = Controller(MailboxHandler(folder), hostname=host, port=port)

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def messages(self) -> list[bytes]:
        return [p.read_bytes() for p in sorted(self.folder.glob("*.eml"))]
