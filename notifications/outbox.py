"""E-mails to customers and staff through the outbox: queued in the transaction of the document
they are about, sent later by `deliver_email`, which marks each one sent so a retry never mails
twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlmodel import Session, select

from models.outbox import OutboxKind, OutboxMessage
from models.security.users import User
from notifications.render import render_email

# What each kind of mail carries attached, named in the payload and rendered when it is sent:
# the invoice mail always carries the invoice PDF, whichever code queued it.
ATTACHMENTS: dict[str, Callable[[dict[str, Any]], list[dict[str, Any]]]] = {
    "invoice_issued": lambda context: [{"document": "invoice", "id": context["invoice"].id}],
}


def queue_email(
    session: Session,
    *,
    key: str,
    to: str,
    template: str,
    language: str,
    context: dict[str, Any],
) -> OutboxMessage:
    existing = session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).first()
    if existing is not None:
        return existing
    mail = render_email(template, language, context)
    message = OutboxMessage(
        key=key,
        kind=OutboxKind.EMAIL,
        target=to,
        name=mail.subject,
        payload={
            "template": template,
            "text": mail.text,
            "html": mail.html,
            "attachments": ATTACHMENTS.get(template, lambda _: [])(context),
        },
    )
    session.add(message)
    session.flush()
    return message


def mail_staff(
    session: Session,
    users: Sequence[User],
    *,
    key: str,
    template: str,
    context: dict[str, Any],
) -> list[int]:
    """One mail to each member of staff in their own language, greeting them as `recipient`;
    keyed `<key>/<username>`, so a retry queues nobody's mail twice. The outbox ids, in order."""
    ids = []
    for user in users:
        mail = queue_email(
            session,
            key=f"{key}/{user.username}",
            to=user.email or "",
            template=template,
            language=user.language,
            context={**context, "recipient": user.username},
        )
        ids.append(mail.id or 0)
    return ids
