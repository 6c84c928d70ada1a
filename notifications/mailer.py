"""Sends one rendered e-mail over SMTP with aiosmtplib."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib


def build_message(
    *, sender: str, to: str, subject: str, text: str, html: str, message_id: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    # A stable Message-ID per outbox row lets mail systems drop a duplicate of a resend.
    message["Message-ID"] = message_id
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


async def send_message(message: EmailMessage, *, host: str, port: int) -> None:
    await aiosmtplib.send(message, hostname=host, port=port, timeout=30)
