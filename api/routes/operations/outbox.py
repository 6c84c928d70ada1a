"""The outbox for ops: messages that wait for a person (dead, unconfirmed) and their resend."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from activities import outbox_operations
from activities.documents import mail_delivery
from api.deps import CommandsDep, CurrentUser, DatabaseDep, PagingDep, SettingsDep, reader, require
from api.listing import Page
from models.fields import IdParam
from models.outbox import OutboxKind, OutboxMessagePublic, OutboxState
from models.security.users import Role

router = APIRouter(prefix="/outbox", tags=["operations"])
READERS = reader(Role.OPS)


@router.get("", dependencies=[READERS])
async def list_outbox(
    db: DatabaseDep,
    paging: PagingDep,
    state: Annotated[OutboxState, Query(description="dead or unconfirmed")],
) -> Page[OutboxMessagePublic]:
    """Workflow messages given up on (with `dead_reason`) or mails that may or may not have gone
    out (`unconfirmed`: check the recipient's server by Message-ID before resending)."""
    items, total = await db.run(outbox_operations.list_messages, state, paging.limit, paging.offset)
    return Page(items=items, total=total)


@router.post("/{message_id}/resend", dependencies=[require()])
async def resend(
    message_id: IdParam, commands: CommandsDep, settings: SettingsDep, user: CurrentUser
) -> OutboxMessagePublic:
    """Sends a dead or unconfirmed message again (admin): a mail now, a workflow message through
    the relay."""
    message = await commands.run(outbox_operations.resend, message_id, user.username)
    if message.kind == OutboxKind.EMAIL:
        server = mail_delivery.MailServer(
            settings.mail_from, settings.smtp_host, settings.smtp_port, settings.company_name
        )
        try:
            await mail_delivery.deliver(commands.database.engine, message_id, server)
        except Exception as exc:  # the mail server refused or is down: say so, keep it listed
            error = str(exc) or type(exc).__name__
            await commands.database.run(outbox_operations.resend_failed, message_id, error)
            raise HTTPException(
                status.HTTP_503_SERVICE_UNAVAILABLE, f"resend failed: {error}"
            ) from exc
    return await commands.database.run(outbox_operations.read_message, message_id)
