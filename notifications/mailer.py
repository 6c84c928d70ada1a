"""Sends one rendered e-mail over SMTP with aiosmtplib, step by step, so the caller can record
the moment the message is handed over (DATA) and tell a refusal from an unknown outcome.

Errors:
 MailUnbuildable the message cannot be written (a CR or LF in a header): no attempt can send it
 MailRefused     the server answered no: permanent (5xx) or try later (4xx); nothing was accepted
 OutcomeUnknown  the connection failed during DATA: the server may or may not have the message
Anything else (connection refused, a timeout before DATA) leaves nothing on the server."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.errors import MessageError
from email.message import EmailMessage

import aiosmtplib
from aiosmtplib.email import flatten_message


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


class MailRefused(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"SMTP {code}: {message}")
        self.permanent = code >= 500


class MailUnbuildable(Exception):
    """The mail cannot be put into SMTP form; sending it again would fail the same way."""


class OutcomeUnknown(Exception):
    """The message may have been accepted: resending could deliver it twice."""


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    attachments: list[Attachment] | None = None,
) -> EmailMessage:
    try:
        message = _message(sender, to, subject, text, html, message_id, attachments or [])
        flatten_message(message, cte_type="7bit")  # a bad header fails here, not mid-SMTP
    except (ValueError, MessageError) as exc:
        raise MailUnbuildable(f"the mail cannot be built: {exc}") from exc
    return message


def _message(
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    attachments: list[Attachment],
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    # A stable Message-ID per outbox row lets mail systems drop a duplicate of a resend.
    message["Message-ID"] = message_id
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for attachment in attachments:
        maintype, subtype = attachment.content_type.split("/", 1)
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


async def submit_message(
    message: EmailMessage,
    *,
    host: str,
    port: int,
    before_data: Callable[[], Awaitable[bool]],
    timeout: float = 30,
) -> bool:
    """Opens the envelope, asks `before_data` whether to go on, then sends DATA. Returns False
    (and sends nothing) when `before_data` says no; True once the server accepted the message."""
    content = flatten_message(message, cte_type="7bit")
    smtp = aiosmtplib.SMTP(hostname=host, port=port, timeout=timeout, start_tls=False)
    await smtp.connect()
    try:
        try:
            await smtp.ehlo()
            await smtp.mail(str(message["From"]))
            await smtp.rcpt(str(message["To"]))
        except aiosmtplib.SMTPResponseException as exc:
            raise MailRefused(exc.code, exc.message) from exc
        if not await before_data():
            return False
        try:
            await smtp.data(content)
        except aiosmtplib.SMTPResponseException as exc:
            raise MailRefused(exc.code, exc.message) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise OutcomeUnknown(str(exc) or type(exc).__name__) from exc
        return True
    finally:
        if smtp.is_connected:
            try:
                await smtp.quit()
            except (aiosmtplib.SMTPException, OSError):
                smtp.close()
