"""What ops see and do in the outbox: workflow messages given up on (dead), mails whose sending
is unconfirmed, and sending one of them again."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from activities.paging import page
from models.errors import Conflict, InvalidInput, NotFound
from models.outbox import OutboxMessage, OutboxMessagePublic, OutboxState

# The states in which a message waits for a person.
NEEDS_A_PERSON = (OutboxState.DEAD, OutboxState.UNCONFIRMED)


def list_messages(
    session: Session, state: OutboxState, limit: int, offset: int
) -> tuple[list[OutboxMessagePublic], int]:
    """Newest first."""
    if state not in NEEDS_A_PERSON:
        raise InvalidInput("state is one of: dead, unconfirmed", field="state")
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.state == state)
        .order_by(col(OutboxMessage.id).desc())
    )
    rows, total = page(session, query, limit, offset)
    return [OutboxMessagePublic.model_validate(row) for row in rows], total


def resend(session: Session, message_id: int, by: str) -> OutboxMessagePublic:
    """Back to pending, due now: the relay (or, for a mail, the caller) sends it again."""
    message = session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None:
        raise NotFound(f"outbox message {message_id} not found")
    if message.state not in NEEDS_A_PERSON:
        raise Conflict(
            f"outbox message {message_id} is {message.state.value}: only dead or unconfirmed "
            "messages are sent again"
        )
    message.last_error = f"resent by {by} after: {message.dead_reason or message.last_error}"
    message.state = OutboxState.PENDING
    message.claim_token = None
    message.dead_reason = None
    message.next_attempt_at = datetime.now(UTC)
    session.add(message)
    session.flush()
    return OutboxMessagePublic.model_validate(message)


def resend_failed(session: Session, message_id: int, error: str) -> None:
    """A mail's resend did not get through: it stays unconfirmed (the first attempt may still
    have reached the recipient) and in the ops list, with why."""
    message = session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None or message.state == OutboxState.SENT:
        return
    message.state = OutboxState.UNCONFIRMED
    message.claim_token = None
    message.last_error = f"resend failed: {error}"
    session.add(message)


def read_message(session: Session, message_id: int) -> OutboxMessagePublic:
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(f"outbox message {message_id} not found")
    return OutboxMessagePublic.model_validate(message)
