"""The mail the SMTP catcher received, as its recipients would read it."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from o2c.mailcatcher import MailCatcher


def received(catcher: MailCatcher) -> list[EmailMessage]:
    """Every message, in the order it arrived."""
    return [
        message_from_bytes(raw, policy=policy.default)  # type: ignore[misc]
        for raw in catcher.messages()
    ]


def inbox(catcher: MailCatcher) -> Callable[[], Coroutine[Any, Any, list[tuple[str, str]]]]:
    """A probe of (recipient, subject) of every message, for `eventually`."""

    async def probe() -> list[tuple[str, str]]:
        return [(str(m["To"]), str(m["Subject"]).strip()) for m in received(catcher)]

    return probe


def body(message: EmailMessage) -> str:
    """The plain-text part."""
    text = message.get_body(preferencelist=("plain",))
    return str(text.get_content()) if text is not None else ""
