"""The mail activity: every workflow hands the e-mails its steps queued in the outbox to
`deliver_email`, one activity per mail, so each is sent (and retried) on its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from temporalio import activity

from activities.documents import mail_delivery
from activities.documents.mail_delivery import MailServer
from models.sales.messages import DeliverEmailInput


class MailActivities:
    def __init__(self, engine: Engine, server: MailServer) -> None:
        self.engine = engine
        self.server = server

    @activity.defn(name="deliver_email")
    async def deliver_email(self, data: DeliverEmailInput) -> None:
        """Send one queued mail with its attachments, exactly once (see mail_delivery)."""
        await mail_delivery.deliver(self.engine, data.outbox_id, self.server)

    def all(self) -> list[Callable[..., Any]]:
        return [self.deliver_email]
