"""The mail the SMTP catcher received, as its recipients would read it."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.documents.mail_delivery import MailServer
from activities.receivables.invoices import get_invoice, invoice_lines
from models.master_data.customers import Customer
from notifications.outbox import queue_email
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


def catcher_server(catcher: MailCatcher) -> MailServer:
    """The mail server settings of a worker that sends to the SMTP catcher."""
    return MailServer("billing@o2c.example", "127.0.0.1", catcher.port, "o2c Demo")


def queue_invoice_mail(engine: Engine, customer_id: int, invoice_id: int, key: str) -> int:
    """The invoice mail as issuing the invoice queues it (with its PDF); the outbox row's id."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        mail = queue_email(
            session,
            key=key,
            to="ap@customer.example",
            template="invoice_issued",
            language="en",
            context={
                "company": "o2c Demo",
                "customer": session.get(Customer, customer_id),
                "invoice": get_invoice(session, invoice_id),
                "order_number": "SO-2026-000001",
                "lines": invoice_lines(session, invoice_id),
            },
        )
    return mail.id or 0
