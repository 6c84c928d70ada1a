"""The mail activity: every workflow hands the e-mails its steps queued in the outbox to
`deliver_email`, one activity per mail, so each is sent (and retried) on its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from temporalio import activity

from activities.documents import mail_delivery
from activities.documents.mail_delivery import MailServer
from activities.documents.stored_documents import PdfRenderer
from models.sales.messages import DeliverEmailInput


class MailActivities:
    def __init__(self, engine: Engine, server: MailServer, render: PdfRenderer) -> None:
        self.engine = engine
        self.server = server
        self.render = render  # a PDF not stored yet is made here (the worker's process pool)

    @activity.defn(name="deliver_email")
    async def deliver_email(self, data: DeliverEmailInput) -> None:
        """Send one queued mail with its attachments (stored, rendered once per version),
        exactly once (see mail_delivery)."""
        await mail_delivery.deliver(self.engine, data.outbox_id, self.server, self.render)

    def all(self) -> list[Callable[..., Any]]:
        return [self.deliver_email]
